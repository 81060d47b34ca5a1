package demo

import "github.com/fabrique-a-communs/fabrique/internal/fabrique"

// The demo data: invented people and places, the true four communs of the Fabrique's
// first programme, and a dozen défis spread over 2026. Times are UTC, "2006-01-02 15:04".

// CoordinatorEmail is the demo coordinator's address.
const CoordinatorEmail = "coordination@fabrique.example"

type demoUser struct {
	Email    string
	Name     string
	Role     string
	Feminine bool   // for the French note ("porteuse", "contributrice")
	Note     string // overrides the computed note
}

var demoUsers = []demoUser{
	{Email: CoordinatorEmail, Name: "Camille Coordination", Role: fabrique.RoleCoordinator,
		Note: "coordination de la Fabrique : décide des passages en développement et des clôtures"},
	{Email: "amelie.roux@demo.fabrique.example", Name: "Amélie Roux", Feminine: true},
	{Email: "thomas.legall@demo.fabrique.example", Name: "Thomas Le Gall"},
	{Email: "nadia.benali@demo.fabrique.example", Name: "Nadia Benali", Feminine: true},
	{Email: "julien.mercier@demo.fabrique.example", Name: "Julien Mercier"},
	{Email: "lea.fontaine@demo.fabrique.example", Name: "Léa Fontaine", Feminine: true},
	{Email: "marc.dubois@demo.fabrique.example", Name: "Marc Dubois"},
	{Email: "sophie.martin@demo.fabrique.example", Name: "Sophie Martin", Feminine: true},
	{Email: "karim.haddad@demo.fabrique.example", Name: "Karim Haddad"},
	{Email: "elodie.payet@demo.fabrique.example", Name: "Élodie Payet", Feminine: true},
	{Email: "yannick.morvan@demo.fabrique.example", Name: "Yannick Morvan"},
	{Email: "helene.garnier@demo.fabrique.example", Name: "Hélène Garnier", Feminine: true,
		Note: "financeur : Fondation Terres de Communs (fondation)"},
}

type demoPlace struct {
	Name, City, Region, Website string
	Description                 string // Markdown
	Address                     string // lines separated by \n
	Contact                     string // phone numbers from the ranges ARCEP keeps for fiction
	Created                     string
	Members                     []string // emails
}

var demoPlaces = []demoPlace{
	{Name: "Atelier des Pentes", City: "Lyon", Region: "Auvergne-Rhône-Alpes",
		Website: "https://atelier-des-pentes.example", Created: "2026-01-06 10:00",
		Description: `Fablab et atelier partagé sur les pentes de la Croix-Rousse : machines à bois, découpe laser, électronique. **Permanences ouvertes** le mardi et le jeudi soir, formation aux machines le samedi matin.

L'atelier accueille aussi des indépendant·es en résidence et anime un repair café chaque mois.`,
		Address: "8 montée de la Grande-Côte\n69001 Lyon", Contact: "bonjour@atelier-des-pentes.example",
		Members: []string{"amelie.roux@demo.fabrique.example"}},
	{Name: "La Grange Partagée", City: "Aubusson", Region: "Nouvelle-Aquitaine",
		Website: "https://grange-partagee.example", Created: "2026-01-07 14:30",
		Description: `Une ancienne grange agricole devenue tiers-lieu rural : coworking, cuisine partagée, salle de réunion et **accueil de résidences** pour les équipes qui viennent travailler quelques jours au calme.

On y croise des agriculteur·rices, des artisan·es de la tapisserie et les associations du plateau.`,
		Address: "Lieu-dit Les Granges\n23200 Aubusson", Contact: "05 36 49 12 34",
		Members: []string{"lea.fontaine@demo.fabrique.example"}},
	{Name: "Le Hangar Coopératif", City: "Rennes", Region: "Bretagne",
		Website: "https://hangar-cooperatif.example", Created: "2026-01-08 09:45",
		Description: `Un ancien hangar ferroviaire réhabilité par une coopérative :

- bureaux partagés, à la journée ou au mois ;
- ateliers bois et métal pour les artisan·es ;
- une cantine et une salle de 120 places pour les événements du quartier.`,
		Address: "14 rue de l’Alma\n35000 Rennes", Contact: "02 61 91 45 67",
		Members: []string{"thomas.legall@demo.fabrique.example", "yannick.morvan@demo.fabrique.example"}},
	{Name: "Kaz Komun", City: "Saint-Pierre", Region: "La Réunion",
		Website: "", Created: "2026-01-09 06:00",
		Description: `Tiers-lieu associatif du Sud : espace numérique, jardin créole partagé et permanences d'accompagnement aux démarches en ligne. Les ateliers se tiennent en créole et en français.`,
		Address:     "22 rue Marius-et-Ary-Leblond\n97410 Saint-Pierre", Contact: "kaz.komun@asso.example",
		Members: []string{"elodie.payet@demo.fabrique.example"}},
	{Name: "La Cantine des Communs", City: "Lille", Region: "Hauts-de-France",
		Website: "https://cantine-des-communs.example", Created: "2026-01-12 11:15",
		Description: `Café-cantine et espace de travail partagé au cœur de Fives : on y déjeune local, on y travaille, on y documente les communs.

La Cantine accueille chaque mois une session *Ressources & vous* autour d'un commun numérique.`,
		Address: "57 rue Pierre-Legrand\n59800 Lille", Contact: "contact@cantine-des-communs.example",
		Members: []string{"nadia.benali@demo.fabrique.example"}},
	{Name: "Le Moulin des Possibles", City: "Figeac", Region: "Occitanie",
		Website: "", Created: "2026-01-13 16:00",
		Description: `Un moulin du XIXe siècle au bord du Célé, rénové par une SCIC d'habitant·es : épicerie de producteurs, conserverie partagée, coworking et salle de formation.

Le Moulin cofinance les communs qu'il utilise, comme Loot et Dokos.`,
		Address: "Chemin du Moulin\n46100 Figeac", Contact: "05 36 49 87 65",
		Members: []string{"marc.dubois@demo.fabrique.example"}},
	{Name: "La Ressourcerie Créative", City: "Montreuil", Region: "Île-de-France",
		Website: "https://ressourcerie-creative.example", Created: "2026-01-14 13:20",
		Description: `Ressourcerie et ateliers de réemploi : collecte d'objets et de matériaux, boutique solidaire, ateliers de couture et de menuiserie pour apprendre à réparer.

Sa matériauthèque est ouverte aux artistes et aux associations du territoire.`,
		Address: "30 rue de Paris\n93100 Montreuil", Contact: "01 99 00 23 45",
		Members: []string{"sophie.martin@demo.fabrique.example", "julien.mercier@demo.fabrique.example"}},
	{Name: "Les Ateliers du Canal", City: "Strasbourg", Region: "Grand Est",
		Website: "https://ateliers-du-canal.example", Created: "2026-01-15 08:50",
		Description: `Friche artisanale le long du canal : ateliers d'artistes et d'artisan·es, imprimerie associative, salle d'exposition. Les Ateliers ouvrent leurs portes le premier samedi de chaque mois.`,
		Address:     "3 quai des Alpes\n67100 Strasbourg"},
}

type demoCommons struct {
	Slug, Name, Kind, Summary, Description, Licence, Website, Source, Movilab string
}

// The four communs of the Fabrique's first programme; descriptions follow the Fabrique's
// own words.
var demoCommonsList = []demoCommons{
	{
		Slug: "movilab", Name: "Movilab", Kind: "documentation",
		Summary: "Le premier wiki des tiers-lieux francophones : l'espace de documentation et de partage de connaissances et d'outils des communautés du mouvement des tiers-lieux.",
		Description: `Movilab est **le premier wiki des tiers-lieux francophones**. C'est l'espace de documentation et de partage de connaissances et d'outils des communautés qui gravitent autour du mouvement des tiers-lieux.

Il joue le rôle de **bibliothèque** — fiches de lieux, retours d'expérience, méthodes, ressources libres — mais aussi de **laboratoire d'expérimentation**, où les communautés écrivent ensemble et font évoluer leurs pratiques.

La Fabrique à communs s'appuie sur Movilab pour documenter les défis des tiers-lieux et les ressources qui y répondent, puis pour les diffuser dans les forums et les réseaux.

Tout le contenu est publié sous licence libre : chacun peut le lire, le réutiliser et l'améliorer, en citant ses sources et en partageant à l'identique.`,
		Licence: "CC BY-SA", Website: "https://movilab.org",
	},
	{
		Slug: "cahier-d-activites", Name: "Cahier d'activités", Kind: "methode",
		Summary: "Un recueil de 11 sujets de travail à aborder avec son équipe ou sa communauté pour poser les bases de l'identité, des règles de vie et du fonctionnement de son lieu.",
		Description: `Le cahier d'activités est un recueil de **11 sujets de travail** à aborder avec votre équipe ou votre communauté pour poser les bases de l'identité, des règles de vie et du fonctionnement de votre lieu.

Chaque sujet se travaille en atelier, par des activités ludiques et concrètes :

- le territoire ;
- les envies ;
- le type de lieu ;
- les activités ;
- l'espace ;
- l'accueil ;
- le nom ;
- la communauté ;
- la gouvernance ;
- les ressources ;
- le modèle économique.

Né d'un booksprint organisé à Lille en 2017 avec des contributeurs du mouvement des tiers-lieux des Hauts-de-France, il est publié sous licence libre : chaque lieu peut l'utiliser, l'adapter et l'enrichir.`,
		Licence: "CC BY-SA", Movilab: "https://movilab.org/wiki/Cahier_d'activités",
	},
	{
		Slug: "dokos", Name: "Dokos", Kind: "logiciel",
		Summary: "Un ERP open source adapté aux tiers-lieux : achats, paiements, facturation, réservations et suivi comptable dans un même logiciel.",
		Description: `Dokos est un **ERP open source adapté aux tiers-lieux**. Un ERP est un logiciel qui facilite la gestion d'une entreprise en connectant l'ensemble des flux financiers.

Il propose de nombreuses fonctionnalités :

- l'automatisation des achats et des paiements ;
- la facturation, les devis et les abonnements ;
- la réservation de salles, de postes de coworking et de machines ;
- l'administration et le suivi comptable.

Dokos est un fork d'ERPNext, développé et documenté avec une communauté de tiers-lieux qui contribuent à l'adapter à leurs usages.`,
		Licence: "GPL-3.0", Website: "https://dokos.io", Source: "https://gitlab.com/dokos/dokos",
		Movilab: "https://movilab.org/wiki/Dokos",
	},
	{
		Slug: "loot", Name: "Loot", Kind: "logiciel",
		Summary: "Une application web mobile pour suivre et partager les contributions et leurs rétributions au sein d'une communauté.",
		Description: `Loot est une **application web mobile** pour suivre et partager les contributions et leurs rétributions au sein d'une communauté.

Chaque membre déclare ce qu'il a fait ; le collectif voit qui a contribué à quoi, et ce que chacun en a reçu. Loot facilite ainsi :

- la transparence des contributions et des rétributions ;
- le suivi des projets du collectif par l'ensemble des membres.

La Fabrique à communs l'utilise pour suivre les jours de travail des équipes qu'elle rémunère.`,
		Movilab: "https://movilab.org/wiki/Loot",
	},
}

type demoStep struct {
	To   fabrique.Status
	At   string
	Note string
}

// Member states as challenge_members stores them.
const (
	stateAccepted = "accepted"
	statePending  = "pending"
	stateRefused  = "refused"
)

type demoMember struct {
	Email   string
	State   string
	Message string
}

type demoLink struct {
	Commons  string // slug
	Relation string // "solution" or "origine"
}

type demoChallenge struct {
	Title, Summary, Problem string
	Lead                    string // email
	Steps                   []demoStep
	Members                 []demoMember // besides the porteur
	Places                  []string     // place names
	Commons                 []demoLink
}

var demoChallenges = []demoChallenge{
	{
		Title:   "Suivre les contributions bénévoles",
		Lead:    "nadia.benali@demo.fabrique.example",
		Summary: "Dans nos lieux, une grande partie du travail est bénévole et reste invisible : personne ne sait qui a fait quoi, ni comment le reconnaître. Nous voulons un outil simple pour déclarer, suivre et valoriser les contributions, payées ou non.",
		Problem: `Les tiers-lieux reposent sur des contributions très diverses : permanences, chantiers, animation, comptabilité, entretien… Elles sont rarement tracées.

Ce que nous constatons :

- les mêmes personnes s'épuisent sans que leur engagement soit visible ;
- quand un financement arrive, on ne sait pas répartir la rétribution de manière juste ;
- les tableurs partagés sont abandonnés au bout de quelques semaines.

Ce qu'il nous faudrait :

1. déclarer une contribution en moins d'une minute, depuis un téléphone ;
2. distinguer le bénévolat et le travail rétribué ;
3. rendre les totaux visibles pour tout le collectif.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-01-12 09:30", "Défi proposé à la suite du forum des tiers-lieux des Hauts-de-France."},
			{fabrique.StatusTeam, "2026-01-30 17:10", "Quatre personnes de trois lieux rejoignent l'équipe."},
			{fabrique.StatusFraming, "2026-02-25 10:00", "Début de la préfiguration : recueil des cas d'usage dans cinq lieux et tour des solutions ouvertes."},
			{fabrique.StatusDevelopment, "2026-04-28 15:00", "Pertinence démontrée : Loot couvre l'essentiel du besoin. Le défi se poursuit par des étapes de développement de Loot (déclaration hors ligne, export des rétributions)."},
		},
		Members: []demoMember{
			{Email: "lea.fontaine@demo.fabrique.example", State: stateAccepted, Message: "À la Grange, on compte les heures de bénévolat sur un tableau blanc : je veux bien tester autre chose."},
			{Email: "karim.haddad@demo.fabrique.example", State: stateAccepted, Message: "Développeur, je peux aider sur la partie technique."},
			{Email: "julien.mercier@demo.fabrique.example", State: stateAccepted, Message: "Intéressé par la question de la rétribution juste."},
			{Email: "elodie.payet@demo.fabrique.example", State: stateAccepted, Message: "Kaz Komun fonctionne à 80 % avec des bénévoles, le sujet nous concerne directement."},
		},
		Places:  []string{"La Cantine des Communs", "La Grange Partagée", "Kaz Komun", "La Ressourcerie Créative"},
		Commons: []demoLink{{"loot", "origine"}},
	},
	{
		Title:   "Mutualiser la comptabilité des petits tiers-lieux",
		Lead:    "thomas.legall@demo.fabrique.example",
		Summary: "Les petits tiers-lieux n'ont ni comptable ni logiciel adapté : factures, adhésions et subventions se perdent entre tableurs et cahiers. Nous cherchons un outil libre et une organisation partagée pour tenir une comptabilité propre à plusieurs lieux.",
		Problem: `Un tiers-lieu de moins de trois salariés gère pourtant une comptabilité complexe : location d'espaces, adhésions, buvette, subventions fléchées, prestations.

Les difficultés les plus citées :

- la saisie en double entre l'outil de réservation, la caisse et le tableur ;
- le suivi des subventions par projet, exigé par les financeurs ;
- le coût d'un expert-comptable pour des volumes modestes.

Pistes à explorer :

- un plan comptable associatif commun et des modèles de saisie ;
- un logiciel libre hébergé en commun ;
- une personne ressource partagée entre plusieurs lieux.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-01-20 14:00", "Défi proposé après un atelier « gestion » au Hangar Coopératif."},
			{fabrique.StatusTeam, "2026-02-10 18:20", "L'équipe réunit un développeur, une trésorière d'association et deux lieux utilisateurs."},
			{fabrique.StatusFraming, "2026-03-05 09:00", "Préfiguration lancée : comparaison des logiciels libres et recueil des plans comptables de quatre lieux."},
			{fabrique.StatusDevelopment, "2026-05-19 16:30", "Pertinence démontrée : Dokos répond à la plupart des besoins. Le défi donne lieu à une étape de développement de Dokos (plan comptable associatif, suivi des subventions par projet)."},
		},
		Members: []demoMember{
			{Email: "karim.haddad@demo.fabrique.example", State: stateAccepted, Message: "J'ai déjà installé Dokos pour deux associations."},
			{Email: "sophie.martin@demo.fabrique.example", State: stateAccepted, Message: "Trésorière de la Ressourcerie, je vis ce problème chaque mois."},
			{Email: "yannick.morvan@demo.fabrique.example", State: stateAccepted, Message: ""},
			{Email: "lea.fontaine@demo.fabrique.example", State: stateAccepted, Message: "La Grange veut bien servir de lieu pilote."},
		},
		Places:  []string{"Le Hangar Coopératif", "La Grange Partagée", "La Cantine des Communs"},
		Commons: []demoLink{{"dokos", "origine"}},
	},
	{
		Title:   "Réseau des fablabs",
		Lead:    "amelie.roux@demo.fabrique.example",
		Summary: "Les fablabs des tiers-lieux travaillent chacun dans leur coin : mêmes machines, mêmes pannes, mêmes formations réinventées partout. Nous voulons organiser un réseau d'entraide pour partager la documentation, les formations et les achats.",
		Problem: `Chaque fablab documente ses machines, ses consignes de sécurité et ses formations… pour lui seul.

Conséquences :

- les fiches machines sont réécrites dans chaque lieu, souvent incomplètes ;
- une panne bloque un atelier des semaines faute de savoir qui a déjà résolu le problème ;
- les achats de consommables se font au prix fort, en petites quantités.

Nous aimerions :

- un espace commun de documentation des machines (sur Movilab) ;
- un canal d'entraide entre fabmanagers ;
- des commandes groupées entre lieux proches.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-02-03 09:15", "Défi proposé par l'Atelier des Pentes."},
			{fabrique.StatusTeam, "2026-03-02 18:40", "Des fabmanagers de trois régions rejoignent l'équipe."},
			{fabrique.StatusFraming, "2026-04-14 10:00", "Préfiguration : inventaire des machines et des fiches existantes, rencontre des réseaux régionaux de fablabs."},
		},
		Members: []demoMember{
			{Email: "marc.dubois@demo.fabrique.example", State: stateAccepted, Message: "Le Moulin a une découpeuse laser et beaucoup de questions."},
			{Email: "elodie.payet@demo.fabrique.example", State: stateAccepted, Message: "À La Réunion, l'isolement rend ce réseau encore plus utile."},
			{Email: "karim.haddad@demo.fabrique.example", State: stateAccepted, Message: "Je peux aider sur la documentation en ligne."},
		},
		Places:  []string{"Atelier des Pentes", "Le Moulin des Possibles", "Les Ateliers du Canal", "Kaz Komun"},
		Commons: []demoLink{{"movilab", "solution"}},
	},
	{
		Title:   "Gouvernance partagée : écrire les règles de vie du lieu",
		Lead:    "sophie.martin@demo.fabrique.example",
		Summary: "Qui décide quoi, comment accueillir un nouveau membre, que faire en cas de conflit ? Beaucoup de lieux découvrent ces questions en pleine crise. Nous voulons un parcours pour écrire ses règles de vie avant d'en avoir besoin.",
		Problem: `Les règles de vie d'un tiers-lieu restent souvent implicites, jusqu'au premier conflit.

Situations rencontrées :

- un membre fondateur part et personne ne sait qui signe les contrats ;
- deux associations résidentes se disputent un même espace ;
- les nouveaux arrivants ne savent pas comment proposer une activité.

Nous cherchons un parcours d'ateliers, réutilisable par n'importe quel lieu, qui aboutisse à une charte et à des règles de décision écrites.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-03-16 11:00", "Défi proposé par la Ressourcerie Créative."},
			{fabrique.StatusTeam, "2026-04-08 17:30", "Équipe constituée avec deux facilitatrices."},
			{fabrique.StatusFraming, "2026-05-27 09:45", "Préfiguration : test des sujets « gouvernance » et « communauté » du cahier d'activités dans deux lieux."},
		},
		Members: []demoMember{
			{Email: "lea.fontaine@demo.fabrique.example", State: stateAccepted, Message: "J'anime déjà des ateliers de gouvernance partagée."},
			{Email: "elodie.payet@demo.fabrique.example", State: stateAccepted, Message: ""},
		},
		Places:  []string{"La Ressourcerie Créative", "La Cantine des Communs"},
		Commons: []demoLink{{"cahier-d-activites", "solution"}, {"movilab", "solution"}},
	},
	{
		Title:   "Réserver les espaces et les machines en ligne",
		Lead:    "karim.haddad@demo.fabrique.example",
		Summary: "Salles, postes de coworking, machines : les réservations passent par téléphone, agenda partagé et messages. Nous cherchons une solution libre de réservation en ligne reliée à la facturation.",
		Problem: `Aujourd'hui, réserver dans un tiers-lieu, c'est souvent :

- un agenda partagé que tout le monde peut modifier ;
- des doubles réservations découvertes le jour même ;
- une facture faite à la main, quand elle est faite.

Besoins exprimés :

1. un calendrier public des disponibilités ;
2. la réservation et le paiement en ligne ;
3. des tarifs différents pour les membres, les associations et les entreprises ;
4. la facture émise automatiquement.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-05-05 10:20", "Défi proposé lors d'une session « Ressources & vous »."},
			{fabrique.StatusTeam, "2026-06-01 18:00", "Équipe constituée avec trois lieux prêts à tester."},
			{fabrique.StatusFraming, "2026-09-08 09:30", "Préfiguration : comparaison de Dokos et d'autres outils libres sur les cas d'usage recueillis."},
		},
		Members: []demoMember{
			{Email: "thomas.legall@demo.fabrique.example", State: stateAccepted, Message: "Le Hangar gère 40 postes de coworking à la main."},
			{Email: "amelie.roux@demo.fabrique.example", State: stateAccepted, Message: "Pour les machines du fablab, c'est indispensable."},
			{Email: "yannick.morvan@demo.fabrique.example", State: stateAccepted, Message: ""},
		},
		Places:  []string{"Le Hangar Coopératif", "Atelier des Pentes", "Les Ateliers du Canal"},
		Commons: []demoLink{{"dokos", "solution"}},
	},
	{
		Title:   "Accueillir des résidences contributives",
		Lead:    "lea.fontaine@demo.fabrique.example",
		Summary: "Des tiers-lieux ruraux ont de la place et l'envie d'accueillir des personnes qui viennent contribuer aux communs quelques jours. Il manque un format clair : accueil, hébergement, défraiement, suivi des contributions.",
		Problem: `Une résidence contributive réunit pendant quelques jours des personnes qui travaillent ensemble sur un commun.

Ce qui bloque aujourd'hui :

- aucun modèle de convention entre le lieu et les résidents ;
- la prise en charge du voyage et de l'hébergement est floue ;
- les contributions réalisées ne sont ni documentées ni valorisées.

Nous voulons écrire un format type, le tester dans deux lieux et le documenter.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-06-09 15:00", "Défi proposé par La Grange Partagée."},
			{fabrique.StatusTeam, "2026-07-02 11:30", "Deux lieux et trois contributeurs prêts à organiser une première résidence."},
		},
		Members: []demoMember{
			{Email: "amelie.roux@demo.fabrique.example", State: stateAccepted, Message: "L'Atelier des Pentes voudrait accueillir la deuxième."},
			{Email: "marc.dubois@demo.fabrique.example", State: stateAccepted, Message: "Le Moulin a cinq couchages disponibles."},
			{Email: "yannick.morvan@demo.fabrique.example", State: statePending, Message: "Je peux aider à documenter la première résidence."},
		},
		Places: []string{"La Grange Partagée", "Le Moulin des Possibles"},
	},
	{
		Title:   "Partager le matériel entre tiers-lieux voisins",
		Lead:    "marc.dubois@demo.fabrique.example",
		Summary: "Sono, vidéoprojecteurs, outillage, mobilier d'événement : chaque lieu achète ce qui dort la plupart du temps. Nous voulons organiser le prêt de matériel entre lieux d'un même territoire.",
		Problem: `Chaque tiers-lieu possède du matériel coûteux peu utilisé, et en loue d'autre faute de savoir qui le possède à côté.

Questions à résoudre :

- comment recenser le matériel disponible sans effort ;
- qui est responsable en cas de casse ;
- comment organiser le transport entre lieux.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-08-25 10:00", "Défi proposé par le Moulin des Possibles."},
			{fabrique.StatusTeam, "2026-09-22 19:00", "Équipe constituée : trois lieux volontaires pour un premier inventaire."},
		},
		Members: []demoMember{
			{Email: "amelie.roux@demo.fabrique.example", State: stateAccepted, Message: ""},
			{Email: "thomas.legall@demo.fabrique.example", State: stateAccepted, Message: "Le Hangar prête déjà sa sono aux associations du quartier."},
			{Email: "julien.mercier@demo.fabrique.example", State: stateAccepted, Message: ""},
		},
		Places: []string{"Le Moulin des Possibles", "Atelier des Pentes"},
	},
	{
		Title:   "Une billetterie libre pour les événements",
		Lead:    "julien.mercier@demo.fabrique.example",
		Summary: "Concerts, ateliers, repas partagés : les tiers-lieux vendent des billets via des plateformes qui prélèvent des commissions et gardent les données des participants. Nous cherchons une billetterie libre, simple à installer et à partager.",
		Problem: `Les plateformes de billetterie commerciales posent plusieurs problèmes aux tiers-lieux :

- des commissions sur chaque billet, même à prix libre ;
- les données des participants appartiennent à la plateforme ;
- aucun lien avec l'adhésion ou la comptabilité du lieu.

Nous cherchons une solution qui permette le prix libre, l'adhésion à la volée et l'export comptable.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-10-06 09:00", "Défi proposé par la Ressourcerie Créative."},
		},
		Members: []demoMember{
			{Email: "sophie.martin@demo.fabrique.example", State: statePending, Message: "Nous vendons 3 000 billets par an, je peux apporter nos cas d'usage."},
		},
		Places: []string{"La Ressourcerie Créative", "Les Ateliers du Canal"},
	},
	{
		Title:   "Cartographier les outils numériques des tiers-lieux",
		Lead:    "nadia.benali@demo.fabrique.example",
		Summary: "Chaque lieu choisit seul ses outils numériques, souvent propriétaires, sans savoir ce qu'utilisent les autres. Une cartographie partagée aiderait à repérer les outils libres éprouvés et les besoins non couverts.",
		Problem: `Nous voulons savoir, lieu par lieu :

- quels outils sont utilisés (réservation, comptabilité, communication, documentation) ;
- ce qu'ils coûtent et ce qui en est satisfaisant ;
- les besoins pour lesquels aucun outil libre ne convient.

Le résultat serait publié sur Movilab et mis à jour par les lieux eux-mêmes.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-10-21 14:45", "Défi proposé par La Cantine des Communs."},
		},
		Members: []demoMember{
			{Email: "karim.haddad@demo.fabrique.example", State: statePending, Message: "Je peux préparer le questionnaire et traiter les réponses."},
		},
		Places: []string{"La Cantine des Communs", "Le Hangar Coopératif"},
	},
	{
		Title:   "Évaluer l'utilité sociale des tiers-lieux",
		Lead:    "elodie.payet@demo.fabrique.example",
		Summary: "Les financeurs demandent de mesurer notre impact, mais les indicateurs proposés ne parlent ni du lien social ni des compétences transmises. Nous voulons une méthode d'évaluation partagée, adaptée aux tiers-lieux et légère à mettre en œuvre.",
		Problem: `Chaque dossier de subvention demande des indicateurs différents, et les lieux passent des jours à les produire.

Ce qui manque :

- des indicateurs qui rendent compte de ce que font vraiment les lieux ;
- une méthode de collecte légère, intégrée à l'activité ;
- des résultats comparables d'un lieu à l'autre.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-11-04 08:30", "Défi proposé par Kaz Komun."},
		},
		Places: []string{"Kaz Komun", "La Grange Partagée"},
	},
	{
		Title:   "Un guide pour ouvrir son tiers-lieu",
		Lead:    "sophie.martin@demo.fabrique.example",
		Summary: "Les porteurs de projet qui veulent ouvrir un tiers-lieu cherchent une méthode pour poser l'identité, l'espace, la communauté et le modèle économique de leur lieu. Plutôt que d'écrire un nouveau guide, l'équipe a enrichi le cahier d'activités.",
		Problem: `Les collectifs qui ouvrent un lieu se posent toujours les mêmes questions, dans le désordre :

- quel type de lieu, pour quel territoire ;
- quelle communauté et quelle gouvernance ;
- quel modèle économique.

Il existe déjà des ressources ouvertes ; il faut les rassembler, les mettre à jour et les rendre faciles à animer.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-01-08 10:00", "Défi proposé lors de la rencontre régionale des porteurs de projet."},
			{fabrique.StatusTeam, "2026-01-26 16:00", "Équipe constituée avec trois lieux accompagnateurs."},
			{fabrique.StatusFraming, "2026-02-16 09:30", "Préfiguration : le cahier d'activités couvre déjà 11 sujets ; l'équipe liste ce qui manque."},
			{fabrique.StatusDevelopment, "2026-03-24 14:00", "Pertinence démontrée : le défi se poursuit comme une nouvelle édition du cahier d'activités."},
			{fabrique.StatusClosed, "2026-09-30 17:00", "Objectif atteint : la nouvelle édition du cahier d'activités est publiée et documentée sur Movilab."},
		},
		Members: []demoMember{
			{Email: "lea.fontaine@demo.fabrique.example", State: stateAccepted, Message: ""},
			{Email: "elodie.payet@demo.fabrique.example", State: stateAccepted, Message: "Je peux tester les ateliers avec deux collectifs réunionnais."},
			{Email: "thomas.legall@demo.fabrique.example", State: stateAccepted, Message: ""},
		},
		Places:  []string{"La Ressourcerie Créative", "Kaz Komun", "La Grange Partagée"},
		Commons: []demoLink{{"cahier-d-activites", "origine"}, {"movilab", "solution"}},
	},
	{
		Title:   "Une monnaie locale entre tiers-lieux",
		Lead:    "julien.mercier@demo.fabrique.example",
		Summary: "Nous pensions créer une monnaie d'échange entre tiers-lieux pour valoriser les services rendus entre lieux. La préfiguration a montré que les monnaies locales existantes répondent déjà au besoin.",
		Problem: `Les tiers-lieux échangent des services (prêt de salle, formation, matériel) sans moyen simple de les compter.

Hypothèses de départ :

- une unité d'échange commune entre lieux ;
- un registre partagé des échanges ;
- un lien avec les monnaies locales complémentaires.`,
		Steps: []demoStep{
			{fabrique.StatusIdentified, "2026-02-17 11:00", "Défi proposé par la Ressourcerie Créative."},
			{fabrique.StatusTeam, "2026-03-20 18:30", "Équipe constituée."},
			{fabrique.StatusFraming, "2026-04-22 10:00", "Préfiguration : entretiens avec trois monnaies locales complémentaires."},
			{fabrique.StatusClosed, "2026-07-15 16:00", "Défi clos sans suite : les monnaies locales existantes répondent au besoin ; l'équipe a documenté comment les lieux peuvent y adhérer. Il peut être rouvert."},
		},
		Members: []demoMember{
			{Email: "marc.dubois@demo.fabrique.example", State: stateAccepted, Message: ""},
			{Email: "nadia.benali@demo.fabrique.example", State: stateAccepted, Message: "La Cantine utilise déjà une monnaie locale."},
			{Email: "yannick.morvan@demo.fabrique.example", State: stateRefused, Message: "Je voudrais y travailler sur la partie technique."},
		},
		Places: []string{"Le Moulin des Possibles", "La Ressourcerie Créative"},
	},
}
