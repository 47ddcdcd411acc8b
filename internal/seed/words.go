package seed

// Word lists for plausible demo data. They are small on purpose: variety
// comes from combining them. Names keep their accents (the UI and search must
// handle them); emails and domains are folded to ASCII by fold().

// locale is a market the generated companies and people come from.
type locale struct {
	weight   int // relative share of companies
	tld      string
	currency string
	phone    string // prefix; digits follow
	suffixes []string
	first    []string
	last     []string
}

var locales = []locale{
	{30, ".com", "USD", "+1 ", []string{"Inc.", "LLC", "Corp.", "Co.", "Group"},
		[]string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Chris", "Jessica", "Daniel", "Sarah", "Matthew", "Karen", "Anthony", "Nancy", "Kevin", "Ashley", "Brian", "Emily"},
		[]string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker"}},
	{10, ".co.uk", "GBP", "+44 ", []string{"Ltd", "plc", "Group", "& Co."},
		[]string{"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Sophie", "Thomas", "Grace", "Alfie", "Lily", "Oscar", "Freya", "Henry", "Evie"},
		[]string{"Evans", "Hughes", "Roberts", "Wright", "Walker", "Wood", "Green", "Hall", "Turner", "Hill", "Cooper", "Ward", "Morris", "King", "Baker", "Bennett", "Price", "O'Brien"}},
	{12, ".de", "EUR", "+49 ", []string{"GmbH", "AG", "GmbH & Co. KG", "KG"},
		[]string{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Maximilian", "Lena", "Paul", "Marie", "Jürgen", "Sabine", "Björn", "Katrin", "Tobias", "Jörg", "Ute", "Sören"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Krüger", "Groß"}},
	{8, ".fr", "EUR", "+33 ", []string{"SAS", "SA", "SARL"},
		[]string{"Louis", "Camille", "Gabriel", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Théo", "Inès", "Arthur", "Zoé", "Raphaël", "Élodie", "Mathéo", "Océane", "François", "Hélène"},
		[]string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau"}},
	{8, ".es", "EUR", "+34 ", []string{"S.L.", "S.A."},
		[]string{"Hugo", "Lucía", "Martín", "Sofía", "Pablo", "María", "Alejandro", "Paula", "Álvaro", "Carmen", "Javier", "Elena", "Sergio", "Nuria", "José", "Ángela", "Iñigo", "Begoña"},
		[]string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero"}},
	{6, ".it", "EUR", "+39 ", []string{"S.r.l.", "S.p.A."},
		[]string{"Leonardo", "Giulia", "Francesco", "Aurora", "Alessandro", "Alice", "Lorenzo", "Ginevra", "Mattia", "Emma", "Niccolò", "Beatrice", "Andrea", "Chiara", "Matteo", "Federica"},
		[]string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Fontana"}},
	{5, ".nl", "EUR", "+31 ", []string{"B.V.", "N.V."},
		[]string{"Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess", "Levi", "Sophie", "Bram", "Fleur", "Joris", "Anouk", "Sanne", "Thijs"},
		[]string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters"}},
	{5, ".pl", "PLN", "+48 ", []string{"Sp. z o.o.", "S.A."},
		[]string{"Jakub", "Zuzanna", "Antoni", "Julia", "Jan", "Maja", "Szymon", "Hanna", "Franciszek", "Łucja", "Michał", "Agnieszka", "Paweł", "Małgorzata", "Wojciech", "Katarzyna"},
		[]string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk"}},
	{5, ".com.br", "BRL", "+55 ", []string{"Ltda.", "S.A."},
		[]string{"Miguel", "Helena", "Arthur", "Alice", "Heitor", "Laura", "Bernardo", "Manuela", "Davi", "Valentina", "Théo", "Sophia", "João", "Luíza", "Gustavo", "Beatriz"},
		[]string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Araújo", "Conceição"}},
	{4, ".se", "SEK", "+46 ", []string{"AB"},
		[]string{"Lars", "Anna", "Erik", "Eva", "Karl", "Maria", "Nils", "Karin", "Oskar", "Ingrid", "Åsa", "Björn", "Linnéa", "Göran", "Sofia", "Måns"},
		[]string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindström", "Bergström", "Åberg", "Öberg"}},
	{4, ".co.jp", "JPY", "+81 ", []string{"K.K.", "Co., Ltd."},
		[]string{"Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Riku", "Sakura", "Kaito", "Mei", "Takumi", "Yuna", "Kenji", "Akiko", "Hiroshi", "Naomi"},
		[]string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue"}},
	{5, ".in", "INR", "+91 ", []string{"Pvt. Ltd.", "Ltd."},
		[]string{"Aarav", "Saanvi", "Vivaan", "Ananya", "Aditya", "Diya", "Arjun", "Priya", "Rohan", "Isha", "Vikram", "Kavya", "Rahul", "Neha", "Sanjay", "Pooja"},
		[]string{"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi", "Rao", "Desai", "Chopra", "Bose", "Kapoor", "Menon"}},
}

// Company names: a stem, sometimes a second word, then the locale's legal
// suffix ("Northwind Logistics GmbH").
var companyStems = []string{
	"Northwind", "Bluefin", "Cobalt", "Evergreen", "Harbor", "Ironwood", "Juniper", "Keystone", "Lumen", "Meridian",
	"Nimbus", "Oakridge", "Pinnacle", "Quantum", "Redwood", "Summit", "Tidewater", "Umbra", "Vanguard", "Willow",
	"Atlas", "Beacon", "Cascade", "Delta", "Ember", "Falcon", "Granite", "Horizon", "Indigo", "Jasper",
	"Kestrel", "Lighthouse", "Maple", "Nova", "Orchid", "Polaris", "Quarry", "Riverbend", "Sterling", "Trident",
	"Alpen", "Brightline", "Crescent", "Driftwood", "Elm", "Foxglove", "Greenfield", "Highland", "Islet", "Larkspur",
}

var companyWords = []string{
	"Logistics", "Analytics", "Labs", "Systems", "Foods", "Energy", "Health", "Partners", "Robotics", "Media",
	"Software", "Consulting", "Freight", "Pharma", "Textiles", "Solar", "Capital", "Studios", "Networks", "Dynamics",
	"Marine", "Foundry", "Biotech", "Retail", "Ventures", "Engineering", "Insurance", "Hospitality", "Mobility", "Security",
}

var industries = []string{
	"Software", "Manufacturing", "Logistics", "Healthcare", "Financial services", "Retail", "Education",
	"Energy", "Construction", "Media", "Hospitality", "Telecommunications", "Agriculture", "Legal", "Real estate",
}

var jobTitles = []string{
	"CEO", "CFO", "CTO", "COO", "Head of Sales", "VP Sales", "Sales Manager", "Account Executive",
	"Marketing Director", "Marketing Manager", "Head of Operations", "Operations Manager", "Procurement Manager",
	"IT Director", "Office Manager", "Product Manager", "Engineering Manager", "HR Director", "Founder", "Purchasing Lead",
}

var sources = []string{"Website", "Referral", "Trade show", "Outbound", "Partner", "Webinar", "Import", "LinkedIn"}

var lifecycles = []string{"lead", "lead", "lead", "qualified", "qualified", "opportunity", "customer", "customer"}

var personalDomains = []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "gmx.de", "web.de", "orange.fr"}

var products = []string{
	"Annual subscription", "Pilot project", "Enterprise licence", "Support renewal", "Onboarding package",
	"Platform upgrade", "Consulting retainer", "Team expansion", "Multi-year agreement", "Add-on module",
	"Hardware refresh", "Data migration", "Training programme", "Managed service", "Integration project",
}

var lostReasons = []string{
	"Price too high", "Chose a competitor", "No budget this year", "No decision", "Timing not right",
	"Missing feature", "Went silent", "Project cancelled",
}

var callOutcomes = []string{"Connected", "Connected", "Left voicemail", "No answer", "Asked to call back", "Wrong number"}

var meetingOutcomes = []string{"Held", "Held", "Held", "Rescheduled", "No-show"}

var taskTitles = []string{
	"Send proposal to %s", "Follow up with %s", "Prepare quote for %s", "Check contract status with %s",
	"Send case studies to %s", "Update pricing for %s", "Share onboarding plan with %s",
}

var meetingTitles = []string{"Discovery call with %s", "Product demo for %s", "Quarterly review with %s", "Negotiation meeting with %s", "Kick-off with %s"}

var emailTitles = []string{"Email %s the recap", "Reply to %s about pricing", "Send intro email to %s", "Email %s the next steps"}
