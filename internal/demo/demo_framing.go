package demo

import "github.com/fabrique-a-communs/fabrique/internal/fabrique"

// demoFramings is the framing ("Nous préfigurons le projet de commun") of each demo défi
// that reached préfiguration, by title: complete, so a coordinator can move those still
// in préfiguration to développement.
var demoFramings = map[string]fabrique.Framing{
	"Suivre les contributions bénévoles": {
		Problems: `- Les contributions bénévoles ne sont **pas tracées** : elles restent invisibles pour le collectif et pour les financeurs.
- La rétribution, quand elle existe, est répartie sans règle partagée.
- Les tableurs sont abandonnés faute d'être pratiques sur téléphone.`,
		UseCases: `1. Une bénévole déclare sa permanence du samedi depuis son téléphone, en moins d'une minute.
2. Le bureau voit les totaux du trimestre, bénévolat et travail rétribué séparés.
3. Un financement arrive : le collectif répartit la rétribution à partir des contributions déclarées.`,
		Actors:            `Cinq lieux ont participé au recueil des cas d'usage : La Cantine des Communs, La Grange Partagée, Kaz Komun, la Ressourcerie Créative et un lieu du réseau régional des Hauts-de-France.`,
		ExistingSolutions: `**Loot** couvre l'essentiel du besoin : déclaration des contributions, suivi collectif, rétributions. Il lui manque la déclaration hors ligne et un export des rétributions pour la comptabilité.`,
		Approach:          `Plutôt que de développer un nouvel outil, contribuer à Loot : tests dans trois lieux, puis spécification des deux fonctions manquantes avec la communauté de Loot.`,
		NextSteps: `1. Déclaration hors ligne, synchronisée au retour du réseau.
2. Export des rétributions (CSV) pour la comptabilité.
3. Documentation de l'usage en tiers-lieu sur Movilab.`,
	},
	"Mutualiser la comptabilité des petits tiers-lieux": {
		Problems: `- Saisie en double entre l'outil de réservation, la caisse et le tableur.
- Suivi des subventions par projet exigé par les financeurs, impossible dans un tableur partagé.
- Coût d'un expert-comptable disproportionné pour de petits volumes.`,
		UseCases: `1. Une trésorière bénévole saisit une facture de location et la retrouve dans le bilan du projet concerné.
2. Un lieu produit le compte rendu financier d'une subvention en une heure.
3. Deux lieux partagent le même plan comptable associatif et s'entraident.`,
		Actors:            `Le Hangar Coopératif, La Grange Partagée et La Cantine des Communs testent ; une trésorière d'association et un développeur accompagnent.`,
		ExistingSolutions: `**Dokos** répond à la plupart des besoins (facturation, comptabilité, réservations). Il manque un plan comptable associatif prêt à l'emploi et le suivi des subventions par projet.`,
		Approach:          `Comparer Dokos à deux autres logiciels libres sur les cas d'usage recueillis, puis rédiger avec la communauté Dokos le cahier des charges des fonctions manquantes.`,
		NextSteps: `1. Plan comptable associatif intégré à Dokos.
2. Suivi des subventions par projet.
3. Hébergement mutualisé pour les lieux pilotes.`,
	},
	"Réseau des fablabs": {
		Problems: `- Les fiches machines et consignes de sécurité sont réécrites dans chaque lieu.
- Une panne bloque un atelier faute de savoir qui l'a déjà résolue.
- Les consommables sont achetés au prix fort, en petites quantités.`,
		UseCases: `1. Un fabmanager trouve la fiche de la découpeuse laser d'un autre lieu et l'adapte.
2. Une panne est signalée sur le canal d'entraide et résolue dans la journée.
3. Trois lieux proches regroupent une commande de filament.`,
		Actors:            `L'Atelier des Pentes, le Moulin des Possibles, les Ateliers du Canal et Kaz Komun ; les réseaux régionaux de fablabs sont associés.`,
		ExistingSolutions: `**Movilab** peut accueillir la documentation des machines ; des wikis de fablabs existent mais sont dispersés. Aucun outil ouvert ne gère les commandes groupées.`,
		Approach:          `Documenter d'abord sur Movilab avec un modèle de fiche machine commun, puis concevoir avec les fabmanagers un petit outil de commandes groupées.`,
		NextSteps: `1. Modèle de fiche machine et 30 fiches publiées sur Movilab.
2. Canal d'entraide entre fabmanagers.
3. Prototype de commandes groupées entre lieux voisins.`,
	},
	"Gouvernance partagée : écrire les règles de vie du lieu": {
		Problems: `- Les règles de vie restent implicites jusqu'au premier conflit.
- Le départ d'un fondateur laisse le lieu sans règle de décision.
- Les nouveaux venus ne savent pas comment proposer une activité.`,
		UseCases: `1. Un collectif écrit sa charte en trois ateliers.
2. Un conflit d'usage d'un espace est tranché selon une règle connue de tous.
3. Une nouvelle membre propose une activité en suivant un parcours écrit.`,
		Actors:            `La Ressourcerie Créative et La Cantine des Communs testent le parcours, avec deux facilitatrices.`,
		ExistingSolutions: `Le **cahier d'activités** couvre déjà les sujets « gouvernance » et « communauté » ; **Movilab** documente des chartes de lieux.`,
		Approach:          `Partir du cahier d'activités, tester ses sujets dans deux lieux, et écrire ce qui manque : un parcours d'ateliers qui aboutit à une charte et à des règles de décision.`,
		NextSteps: `1. Parcours de trois ateliers, testé dans deux lieux.
2. Modèles de charte et de règles de décision.
3. Publication dans le cahier d'activités et sur Movilab.`,
	},
	"Réserver les espaces et les machines en ligne": {
		Problems: `- Agendas partagés modifiables par tous, doubles réservations.
- Factures faites à la main, souvent oubliées.
- Aucun tarif différencié selon le public.`,
		UseCases: `1. Une association réserve une salle en ligne et reçoit sa facture.
2. Un coworker réserve un poste pour la semaine et paie en ligne.
3. Le fablab ouvre le créneau d'une machine aux seules personnes formées.`,
		Actors:            `Le Hangar Coopératif, l'Atelier des Pentes et les Ateliers du Canal testent les outils.`,
		ExistingSolutions: `**Dokos** propose un module de réservation relié à la facturation ; il manque la réservation de machines avec habilitation.`,
		Approach:          `Comparer Dokos et deux autres outils libres sur les cas d'usage, puis spécifier avec la communauté Dokos la réservation de machines.`,
		NextSteps: `1. Configuration type de Dokos pour un tiers-lieu.
2. Réservation de machines réservée aux personnes habilitées.
3. Guide d'installation publié sur Movilab.`,
	},
	"Un guide pour ouvrir son tiers-lieu": {
		Problems: `- Les collectifs qui ouvrent un lieu se posent les mêmes questions, dans le désordre.
- Les ressources ouvertes existent mais sont dispersées et parfois datées.`,
		UseCases: `1. Un collectif pose l'identité de son lieu en un atelier.
2. Un porteur de projet construit son modèle économique avec une fiche guidée.
3. Un accompagnateur anime le parcours complet avec un groupe.`,
		Actors:            `La Ressourcerie Créative, Kaz Komun et La Grange Partagée accompagnent des collectifs.`,
		ExistingSolutions: `Le **cahier d'activités** couvre déjà 11 sujets ; **Movilab** rassemble les retours d'expérience.`,
		Approach:          `Enrichir le cahier d'activités plutôt qu'écrire un nouveau guide : lister ce qui manque, écrire les nouvelles fiches, les tester avec deux collectifs.`,
		NextSteps: `1. Nouvelles fiches « modèle économique » et « territoire ».
2. Test avec deux collectifs réunionnais.
3. Nouvelle édition du cahier d'activités.`,
	},
	"Une monnaie locale entre tiers-lieux": {
		Problems: `- Les services échangés entre lieux (salle, formation, matériel) ne sont pas comptés.
- Les lieux hésitent à prêter faute de réciprocité visible.`,
		UseCases: `1. Un lieu prête sa salle à un autre et reçoit une contrepartie.
2. Les échanges de l'année sont visibles par tous les lieux du réseau.`,
		Actors:            `Le Moulin des Possibles et la Ressourcerie Créative ; trois monnaies locales complémentaires rencontrées.`,
		ExistingSolutions: `Les **monnaies locales complémentaires** existantes répondent au besoin : les lieux peuvent y adhérer et échanger entre eux.`,
		Approach:          `Ne pas créer de nouvelle monnaie : documenter comment un tiers-lieu adhère à la monnaie locale de son territoire.`,
		NextSteps: `1. Fiche « adhérer à une monnaie locale » publiée sur Movilab.
2. Aucun développement : le défi est clos sans suite.`,
	},
}
