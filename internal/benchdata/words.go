package benchdata

// The vocabulary the synthetic data is drawn from: invented, French, in the Fabrique's
// words, so pages, search and slugs behave as they would with real text.

var firstNames = []string{
	"Amélie", "Thomas", "Nadia", "Julien", "Léa", "Marc", "Sophie", "Karim", "Élodie", "Yannick",
	"Hélène", "Mathieu", "Camille", "Antoine", "Inès", "Bastien", "Chloé", "Rachid", "Margaux", "Pierre",
	"Manon", "Hugo", "Fatou", "Nicolas", "Zoé", "Loïc", "Aurélie", "Samuel", "Océane", "Gaëlle",
	"Baptiste", "Lucie", "Mehdi", "Clément", "Anaïs", "Jérôme", "Sarah", "Olivier", "Agathe", "Malik",
	"Solène", "Romain", "Maëlys", "Guillaume", "Noémie", "Rémi", "Estelle", "Théo", "Laure", "Benoît",
}

var lastNames = []string{
	"Roux", "Le Gall", "Benali", "Mercier", "Fontaine", "Dubois", "Martin", "Haddad", "Payet", "Morvan",
	"Garnier", "Lefèvre", "Moreau", "Girard", "Bonnet", "Dupont", "Lambert", "Faure", "Rousseau", "Blanc",
	"Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
	"Dumont", "Lopez", "Fournier", "Chevalier", "Robin", "Masson", "Sanchez", "Brun", "Picard", "Kerouac",
	"Le Bihan", "Diallo", "Nguyen", "Ferrand", "Bertrand", "Aubert", "Caron", "Renaud", "Barbier", "Hoarau",
}

// citiesByRegion follows fabrique.Regions.
var citiesByRegion = map[string][]string{
	"Auvergne-Rhône-Alpes":       {"Lyon", "Grenoble", "Clermont-Ferrand", "Annecy", "Valence", "Aurillac"},
	"Bourgogne-Franche-Comté":    {"Dijon", "Besançon", "Auxerre", "Mâcon", "Belfort"},
	"Bretagne":                   {"Rennes", "Brest", "Quimper", "Lorient", "Saint-Brieuc", "Vannes"},
	"Centre-Val de Loire":        {"Orléans", "Tours", "Bourges", "Chartres", "Blois"},
	"Corse":                      {"Ajaccio", "Bastia", "Corte", "Porto-Vecchio"},
	"Grand Est":                  {"Strasbourg", "Nancy", "Metz", "Reims", "Mulhouse", "Troyes"},
	"Hauts-de-France":            {"Lille", "Amiens", "Roubaix", "Arras", "Dunkerque", "Beauvais"},
	"Île-de-France":              {"Paris", "Montreuil", "Saint-Denis", "Nanterre", "Évry", "Pantin"},
	"Normandie":                  {"Rouen", "Caen", "Le Havre", "Cherbourg", "Alençon"},
	"Nouvelle-Aquitaine":         {"Bordeaux", "Limoges", "Poitiers", "Pau", "La Rochelle", "Aubusson"},
	"Occitanie":                  {"Toulouse", "Montpellier", "Nîmes", "Perpignan", "Albi", "Millau"},
	"Pays de la Loire":           {"Nantes", "Angers", "Le Mans", "Saint-Nazaire", "Laval"},
	"Provence-Alpes-Côte d’Azur": {"Marseille", "Nice", "Avignon", "Toulon", "Digne-les-Bains", "Gap"},
	"Guadeloupe":                 {"Pointe-à-Pitre", "Basse-Terre", "Le Gosier"},
	"Martinique":                 {"Fort-de-France", "Le Lamentin", "Sainte-Marie"},
	"Guyane":                     {"Cayenne", "Kourou", "Saint-Laurent-du-Maroni"},
	"La Réunion":                 {"Saint-Denis", "Saint-Pierre", "Le Port", "Saint-Paul"},
	"Mayotte":                    {"Mamoudzou", "Dzaoudzi", "Sada"},
}

// regionWeights make mainland regions hold most places, as in the movement.
var regionWeights = map[string]int{
	"Auvergne-Rhône-Alpes": 12, "Bourgogne-Franche-Comté": 5, "Bretagne": 8, "Centre-Val de Loire": 5,
	"Corse": 1, "Grand Est": 8, "Hauts-de-France": 8, "Île-de-France": 14, "Normandie": 5,
	"Nouvelle-Aquitaine": 12, "Occitanie": 12, "Pays de la Loire": 7, "Provence-Alpes-Côte d’Azur": 7,
	"Guadeloupe": 1, "Martinique": 1, "Guyane": 1, "La Réunion": 2, "Mayotte": 1,
}

var placePrefixes = []string{
	"La Fabrique", "Le Hangar", "L’Atelier", "La Grange", "Le Bocal", "La Coopérative", "La Ruche",
	"Le Moulin", "La Friche", "Le Local", "La Station", "L’Usine", "La Manufacture", "Le Garage",
	"La Maison", "Le Quai", "La Cordée", "Le Relais", "La Serre", "Le Labo",
}

var placeSuffixes = []string{
	"des Possibles", "Partagée", "du Quartier", "Numérique", "Solidaire", "Coopérative", "des Communs",
	"Citoyenne", "Créative", "des Savoirs", "Paysanne", "du Lien", "Ouverte", "des Makers", "Vagabonde",
}

// Défi titles: an object, an action and a public, with "outil" in a share of them so the
// search page finds many.
var challengeObjects = []string{
	"Un outil de réservation", "Un outil de gestion des adhésions", "Un outil de suivi des bénévoles",
	"Des outils de comptabilité partagée", "Un outil de prêt de matériel", "Un outil de planification",
	"Une méthode d’accueil", "Un guide juridique", "Une boîte à outils d’animation", "Un kit de mesure d’impact",
	"Une charte de gouvernance", "Un catalogue de formations", "Un annuaire des compétences",
	"Une cartographie des savoir-faire", "Un modèle économique", "Une plateforme de mutualisation",
	"Un protocole de documentation", "Un parcours d’intégration", "Un tableau de bord", "Un référentiel de métiers",
}

var challengeActions = []string{
	"des espaces partagés", "des machines de l’atelier", "de la cuisine collective", "des résidences",
	"des jardins partagés", "des ateliers numériques", "du fablab", "des permanences", "des chantiers participatifs",
	"des salles de réunion", "du café associatif", "de la recyclerie", "des événements", "des formations",
	"des communs numériques", "de la mobilité solidaire", "de l’espace de coworking", "des outils de bricolage",
}

var challengePublics = []string{
	"pour les tiers-lieux ruraux", "entre tiers-lieux voisins", "pour les petites équipes bénévoles",
	"à l’échelle d’un réseau régional", "pour les lieux ultramarins", "sans compétence technique",
	"pour les friches culturelles", "avec les collectivités", "pour les tiers-lieux nourriciers",
	"pour les ateliers de fabrication", "en milieu périurbain", "pour accueillir de nouveaux publics",
}

var problemSentences = []string{
	"Chaque tiers-lieu bricole sa propre solution, souvent un tableur partagé que personne ne tient à jour.",
	"Les équipes bénévoles changent souvent et la connaissance se perd à chaque départ.",
	"Les outils du marché sont chers, fermés et pensés pour des entreprises, pas pour des lieux collectifs.",
	"Plusieurs réseaux régionaux ont fait remonter le même besoin lors des rencontres de l’an dernier.",
	"Les données restent enfermées dans des logiciels propriétaires et ne se partagent pas entre lieux.",
	"Le temps passé à gérer ces tâches est pris sur l’animation et l’accueil des publics.",
	"Les collectivités demandent des indicateurs que les lieux peinent à produire.",
	"Des solutions ouvertes existent mais ne sont ni documentées ni traduites en français.",
	"Les lieux ruraux n’ont pas de salarié pour porter ce travail.",
	"Nous voulons une solution simple, documentée sur Movilab, que chaque lieu peut adapter.",
}

var useCaseLines = []string{
	"- Une bénévole réserve une salle depuis son téléphone en deux minutes.",
	"- Le conseil d’administration suit les adhésions sans ressaisie.",
	"- Un lieu voisin emprunte la découpeuse laser pour un week-end.",
	"- La coordinatrice exporte les chiffres demandés par la région.",
	"- Un nouvel arrivant trouve seul qui sait réparer quoi.",
	"- Deux lieux partagent le même agenda d’ateliers.",
}

var contributionTexts = []string{
	"Entretiens avec trois tiers-lieux du réseau.", "Rédaction de la page Movilab du défi.",
	"Atelier de conception avec les bénévoles.", "Maquettes des écrans principaux.",
	"Développement du module d’import.", "Relecture et corrections de la documentation.",
	"Animation de la réunion d’équipe mensuelle.", "Tests avec un lieu pilote.",
	"Préparation de la formation des référents.", "Synthèse des retours des utilisateurs.",
	"Correction de bugs remontés par les lieux.", "Traduction du guide de prise en main.",
}

var refusalReasons = []string{
	"Hors du périmètre du défi.", "Déjà déclaré dans une autre contribution.",
	"Le budget d’amorçage est épuisé : à reporter sur le développement.", "Durée à préciser avant validation.",
}

var closingNotes = []string{
	"Défi abouti : le commun est publié et documenté.", "Abandonné faute d’équipe disponible.",
	"Regroupé avec un défi voisin.", "Le besoin est couvert par un commun existant.",
}

var commonsFirst = []string{
	"Kit", "Outil", "Guide", "Cartographie", "Référentiel", "Plateforme", "Méthode", "Carnet", "Boîte",
	"Atlas", "Module", "Protocole",
}

var commonsSecond = []string{
	"des adhésions", "de réservation partagée", "des savoir-faire", "d’accueil", "de prêt de matériel",
	"des bénévoles", "d’impact social", "des communs locaux", "de gouvernance partagée", "des résidences",
	"de comptabilité ouverte", "des ateliers", "de mutualisation", "de documentation",
}

var licences = []string{"AGPL-3.0", "GPL-3.0", "MIT", "CC BY-SA 4.0", "CC BY 4.0", "ODbL 1.0", "CERN-OHL-S-2.0"}

var stepTitles = []string{
	"Prototype fonctionnel", "Version bêta avec cinq lieux pilotes", "Documentation et tutoriels",
	"Déploiement dans dix tiers-lieux", "Traduction et accessibilité", "Ateliers de prise en main",
	"Module d’export pour les collectivités", "Version mobile", "Consolidation et maintenance",
	"Formation des référents régionaux",
}

var callThemes = []string{
	"Appel à communs", "Appel à cofinancement numérique", "Appel à communs ruraux",
	"Appel à communs nourriciers", "Appel à communs de la fabrication", "Appel à communs ultramarins",
}

var organisations = map[string][]string{
	"collectivite": {"Région", "Département", "Communauté de communes", "Métropole", "Ville"},
	"fondation":    {"Fondation des Communs", "Fondation pour les Territoires", "Fonds Solidaire", "Fondation Tiers-Lieux Demain"},
	"entreprise":   {"SCOP", "SCIC", "Coopérative", "Imprimerie", "Atelier numérique"},
}

var pledgeMessages = []string{
	"Bravo à l’équipe, nous utilisons déjà le commun chez nous.", "Pour que les lieux ruraux en profitent aussi.",
	"Avec le soutien de notre conseil d’administration.", "Hâte de voir la prochaine version !",
}

var partialGrantNotes = []string{
	"Accordé en partie : le fonds de l’année est très sollicité.",
	"Accordé en partie : les jours de documentation sont à prévoir en développement.",
}
