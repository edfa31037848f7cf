package triage

// markers are the word stems and short phrases that signal each feature, in
// en, pl, it, de, fr and es, written folded (lower case, no diacritics,
// "ł" as "l", "ß" as "ss"). A word matches a stem when it starts with it, so
// "spóźnion", "spóźniona" and "spóźnienie" share "spozni"; a part ending in
// "$" must be the whole word ("hoy$"). Parts of a phrase match consecutive
// words, allowing one word in between ("nikt mi nie odpowiada").
var markers = map[feature][]string{
	fAnger: {
		// en
		"unacceptable", "ridiculous", "disgrace", "disgust", "outrageous", "furious", "angry$", "pissed",
		"fed up", "sick of", "sick and tired", "worst", "terrible", "horrible", "awful", "pathetic", "joke$",
		"scandal", "scam$", "useless", "incompetent", "shameful", "shame on", "what the hell", "wtf$", "enough is enough",
		"rip off", "ripoff", "unbelievable", "appalling", "fuming", "livid",
		// pl
		"skandal", "zenad", "nie do przyjecia", "wkurz", "wkurw", "oburz", "fataln", "tragedi", "tragiczn", "kpin",
		"beznadziej", "najgorsz", "zlodziej", "oszusci", "zart$", "cyrk$", "porazk", "niedopuszczaln", "bezczeln",
		"mam dosc", "dosc tego", "wsciek", "zenujac", "hanba", "dziadostw",
		// it
		"vergogn", "inaccettabil", "schifo", "schifos", "pessim", "ridicol", "scandalos", "arrabbiat", "furios",
		"assurd", "indecent", "inammissibil", "incompetent", "ladri", "truffator", "presa in giro", "prendete in giro",
		"stufo", "stufa$", "basta$", "sono stanco", "sono stanca", "non e possibile", "vergognatevi", "peggior", "allucinant",
		// de
		"unverschamt", "frechheit", "inakzeptabel", "skandal", "katastroph", "sauer$", "wutend", "lacherlich",
		"schlechtest", "unmoglich", "zumutung", "unfassbar", "absolute katastrophe", "verarsch", "abzocke", "betrug",
		"es reicht", "mir reicht", "die nase voll", "armselig", "inkompetent", "unglaublich", "emport", "furchtbar",
		"grottenschlecht", "schande",
		// fr
		"inadmissible", "inacceptable", "scandal", "honte", "honteux", "furieux", "furieuse", "enerve", "ridicule",
		"lamentable", "pire", "n'importe quoi", "nimporte quoi", "foutez", "se moque", "vous moquez", "marre$",
		"j'en ai assez", "degoute", "incompetent", "inadmissible", "insupportable", "catastroph", "arnaque", "voleurs",
		"honteuse", "exaspere", "pitoyable",
		// es
		"inaceptable", "verguenza", "indignad", "furios", "harto", "harta$", "ridicul", "pesim", "desastr", "tomadura de pelo",
		"estafador", "ladrones", "intolerable", "increible$", "vergonzos", "cabrea", "enfadad", "lamentable", "basta ya",
		"estoy hasta", "el colmo", "impresentable", "una broma", "peor$", "peores",
	},
	fNegative: {
		// en
		"disappoint", "unhappy", "not happy", "dissatisf", "problem", "issue$", "issues$", "complain", "complaint",
		"bad$", "poor$", "doesn't work", "doesnt work", "does not work", "not working", "stopped working", "faulty",
		"defect", "frustrat", "upset", "annoy", "no one", "nobody", "nothing$", "never again", "unfortunately",
		"hate$", "waste", "worried", "concerned", "confused", "cheated", "misleading", "rude$", "ignored",
		// pl
		"rozczarow", "niezadowol", "problem", "reklamacj", "reklamuj", "zle$", "slab", "nie dziala", "przestal dzialac",
		"popsul", "zepsut", "wadliw", "wada$", "frustr", "zawiedz", "zawiod", "niestety", "nikt$", "nic$", "strata",
		"martwi", "nie jestem zadowol", "niezgodn", "nieuprzejm", "ignoruj", "oszuk", "nigdy wiecej", "rozczaro",
		// it
		"delus", "insoddisf", "scontent", "non sono soddisf", "problem", "reclam", "lament", "male$", "pessim",
		"non funziona", "smesso di funzionare", "difett", "guast", "frustr", "purtroppo", "nessuno$", "niente$",
		"preoccup", "scortes", "ignorat", "mai piu", "non va$", "rotto", "rotta",
		// de
		"enttausch", "unzufrieden", "nicht zufrieden", "problem", "reklamation", "reklamier", "beschwer", "schlecht",
		"funktioniert nicht", "geht nicht", "kaputt", "defekt", "mangel", "frustr", "argerlich", "argert", "leider",
		"niemand", "nichts$", "nie wieder", "besorgt", "unfreundlich", "ignoriert", "nicht in ordnung",
		// fr
		"decu", "decue", "decev", "decept", "mecontent", "insatisf", "pas satisfait", "pas content", "probleme",
		"reclamation", "plainte", "plaindre", "mauvais", "ne fonctionne pas", "fonctionne plus", "marche pas",
		"marche plus", "defectu", "defaut", "en panne", "frustr", "agace", "malheureusement", "personne ne",
		"rien$", "plus jamais", "inquiet", "impoli", "ignore",
		// es
		"decepcion", "insatisf", "no estoy content", "descontent", "problema", "reclamacion", "reclamar", "queja",
		"quejar", "mal$", "mala$", "malo$", "no funciona", "dejo de funcionar", "defectuos", "defecto", "averiad",
		"estropead", "frustr", "molest", "lamentablemente", "desgraciadamente", "nadie$", "nada$", "nunca mas",
		"preocupad", "maleducad", "ignorad", "roto", "rota$",
	},
	fPositive: {
		// en
		"great$", "love$", "loved", "loving", "perfect", "excellent", "amazing", "awesome", "fantastic", "wonderful",
		"happy$", "pleased", "delighted", "satisfied", "brilliant", "superb", "recommend", "well done", "good job",
		"impressed", "quick delivery", "fast delivery", "lovely", "nice$", "best shop", "top notch", "five stars",
		// pl
		"super$", "swietn", "wspanial", "doskonal", "idealn", "rewelac", "polecam", "zadowolon", "zadowolen",
		"ekstra", "genialn", "fajn", "piekn", "ciesze sie", "bardzo dobr", "szybka wysylk", "szybko doszl",
		"pelen profesjonalizm", "profesjonaln", "brawo", "mega$", "cudown", "kocham",
		// it
		"ottim", "perfett", "fantastic", "eccellent", "meraviglios", "stupend", "content", "soddisfatt", "bravi",
		"complimenti", "consiglio$", "consiglierei", "felice", "splendid", "bellissim", "velocissim", "puntual",
		"gentilissim", "super$", "top$", "adoro",
		// de
		"toll$", "tolle", "super$", "perfekt", "zufrieden", "begeistert", "klasse", "wunderbar", "hervorragend",
		"ausgezeichnet", "spitze", "freue mich", "freuen uns", "empfehlen", "schnelle lieferung",
		"sehr gut", "top$", "genial", "fantastisch", "liebe es", "gefallt", "wunderschon",
		// fr
		"parfait", "genial", "super$", "ravi", "ravie", "content", "satisfait", "excellent", "formidable",
		"merveill", "magnifique", "bravo", "felicitations", "recommande", "au top", "top$", "tres bien",
		"rapide$", "impeccable", "adore", "j'aime", "genia",
		// es
		"genial", "perfect", "encant", "content", "satisfech", "excelente", "maravill", "fantastic", "estupend",
		"increiblemente bien", "recomiendo", "recomendare", "feliz", "muy bien", "rapidisim", "bien hecho",
		"enhorabuena", "felicidades", "de diez", "me gusta", "guay",
	},
	fThanks: {
		"thank", "thanks", "thx", "cheers$", "appreciate",
		"dzieki", "dziekuj", "dziekowal", "podziekow",
		"grazie", "ringrazi",
		"danke", "dankeschon", "bedanke", "vielen dank", "herzlichen dank",
		"merci", "remerci",
		"gracias", "agradec", "agradezc",
	},
	fAdvance: {
		"thanks in advance", "thank you in advance", "thanks for your help in advance", "in advance$",
		"z gory dzieki", "z gory dziekuj", "dziekuje z gory", "z gory$",
		"grazie in anticipo", "in anticipo$", "grazie mille in anticipo", "grazie per la risposta", "grazie per l'attenzione",
		"im voraus", "vorab vielen dank", "vorab danke", "danke vorab", "vielen dank vorab",
		"d'avance", "par avance", "merci pour votre reponse", "en vous remerciant",
		"de antemano", "por adelantado", "gracias por adelantado", "un saludo", "saludos$",
		"kind regards", "best regards", "regards$", "pozdrawiam", "cordiali saluti", "saluti$", "mit freundlichen",
		"gruss", "grusse", "cordialement", "bien a vous",
	},
	fRepeat: {
		// en
		"again$", "third time", "second time", "fourth time", "once again", "already wrote", "already written",
		"already called", "already emailed", "already contacted", "already asked", "keep asking", "keep writing",
		"keep calling", "no answer", "no reply", "no response", "never replied", "never answered", "not answered",
		"nobody answers", "nobody replies", "nobody has", "no one answers", "no one has", "no one replies",
		"weeks ago", "every day", "several times", "many times", "how many times", "times already", "my last email",
		"previous email", "follow up", "following up", "chasing", "still no", "still not", "still haven't",
		"still hasn't", "still waiting", "still nothing", "still don't", "still doesn't",
		// pl
		"znowu", "ponownie", "kolejny raz", "po raz kolejny", "juz pisal", "juz pisze", "juz dzwonil", "pisze juz",
		"trzeci raz", "drugi raz", "czwarty raz", "po raz trzeci", "po raz drugi", "nikt nie odpowiada",
		"nikt nie odpisuje", "nikt nie odpisal", "bez odpowiedzi", "brak odpowiedzi", "zadnej odpowiedzi",
		"ile razy", "ktorys raz", "kilka razy", "wielokrotnie", "od tygodni", "nadal nie", "nadal nic", "wciaz nie",
		"wciaz nic", "dalej nie", "dalej nic", "ciagle nie", "nadal czekam", "wciaz czekam", "ciagle czekam",
		// it
		"di nuovo", "ancora una volta", "ennesim", "terza volta", "seconda volta", "gia scritto", "gia chiamato",
		"gia contattat", "gia segnalat", "nessuno risponde", "nessuna risposta", "senza risposta", "non rispondete",
		"non risponde nessuno", "quante volte", "piu volte", "varie volte", "da settimane", "ancora non",
		"ancora niente", "ancora nulla", "non ancora", "sto ancora aspettando", "continuo ad aspettare", "sollecit",
		// de
		"schon wieder", "erneut", "wiederholt", "zum dritten mal", "zum zweiten mal", "zum wiederholten",
		"bereits geschrieben", "schon geschrieben", "bereits angerufen", "schon angerufen", "bereits kontaktiert",
		"keine antwort", "keine reaktion", "keine ruckmeldung", "niemand antwortet", "niemand meldet", "meldet sich niemand",
		"wie oft", "mehrmals", "seit wochen", "immer noch", "noch immer", "nach wie vor", "weiterhin", "warte immer",
		// fr
		"encore une fois", "a nouveau", "de nouveau", "troisieme fois", "deuxieme fois", "enieme", "deja ecrit",
		"deja appele", "deja contacte", "deja relance", "relance", "aucune reponse", "pas de reponse", "sans reponse",
		"personne ne repond", "personne ne me repond", "combien de fois", "plusieurs fois", "depuis des semaines",
		"toujours pas", "toujours rien", "toujours aucune", "j'attends toujours", "attends encore",
		// es
		"otra vez", "de nuevo", "nuevamente", "una vez mas", "tercera vez", "segunda vez", "ya escribi", "ya he escrito",
		"ya llame", "ya he llamado", "ya os escribi", "ya les escribi", "nadie responde", "nadie contesta", "nadie me responde",
		"nadie me contesta", "sin respuesta", "ninguna respuesta", "cuantas veces", "varias veces", "desde hace semanas",
		"todavia no", "aun no", "sigo esperando", "sigue sin", "todavia nada", "aun nada", "sigo sin",
	},
	fUrgent: {
		"urgent", "asap", "as soon as possible", "immediately", "right now", "emergency",
		"pilne", "pilnie", "pilny", "natychmiast", "jak najszybciej", "na wczoraj",
		"urgent", "subito", "immediatamente", "il prima possibile", "al piu presto",
		"dringend", "eilig", "sofort", "umgehend", "schnellstmoglich", "so schnell wie moglich",
		"urgent", "urgence", "immediatement", "au plus vite", "des que possible", "le plus vite",
		"urgent", "urgencia", "inmediatamente", "cuanto antes", "lo antes posible",
	},
	fDeadline: {
		// en
		"today$", "tonight", "tomorrow",
		"deadline", "by friday", "by monday", "this weekend", "wedding", "birthday", "christmas", "before the",
		"in time", "time sensitive", "running out of time", "leaving on", "flight",
		// pl
		"dzisiaj", "dzis$", "jutro", "pojutrze",
		"na czas", "termin$", "terminu", "wesel", "slub", "urodzin", "swieta", "wigili",
		"do piatku", "do poniedzialku", "przed weekendem", "wyjezdzam", "wylot",
		// it
		"oggi$", "stasera", "domani",
		"dopodomani", "in tempo", "scadenza", "matrimonio", "compleanno", "natale", "entro venerdi",
		"entro lunedi", "parto", "partenza", "volo$",
		// de
		"heute", "morgen$",
		"ubermorgen", "rechtzeitig", "frist", "hochzeit", "geburtstag", "weihnacht", "bis freitag",
		"bis montag", "wochenende", "verreise", "abflug", "urlaub",
		// fr
		"aujourd'hui",
		"ce soir", "demain", "a temps", "delai", "mariage", "anniversaire", "noel", "avant vendredi",
		"avant lundi", "ce week-end", "ce week end", "je pars", "depart", "vol$",
		// es
		"hoy$", "esta noche", "manana",
		"a tiempo", "plazo", "boda", "cumpleanos", "navidad", "antes del viernes", "antes del lunes",
		"este fin de semana", "me voy", "viaje", "vuelo",
	},
	fLate: {
		// en
		"late$", "delay", "overdue", "not arrived", "hasn't arrived", "has not arrived", "haven't received",
		"have not received", "not received", "didn't arrive", "did not arrive", "never arrived", "never received",
		"still waiting", "where is my", "where's my", "wheres my", "not delivered", "wasn't delivered",
		"was supposed to arrive", "should have arrived", "should've arrived", "lost$", "stuck", "no tracking",
		"tracking hasn't", "tracking has not", "not moved", "hasn't moved", "waiting for my",
		// pl
		"spozni", "opozni", "nie dotarl", "nie doszl", "nie przyszl", "nie dostalem", "nie dostalam", "nie otrzymal",
		"nadal nie ma", "wciaz nie ma", "dalej nie ma", "gdzie jest", "gdzie moja", "gdzie moje", "gdzie moj",
		"czekam na", "czekam juz", "mialo byc", "miala byc", "mial byc", "mialo dojsc", "miala dojsc", "zgubil",
		"zaginel", "zaginion", "utknel", "utknela", "nie ruszyl", "stoi w miejscu", "przekroczon",
		// it
		"ritard", "non e arrivat", "non sono arrivat", "non mi e arrivat", "non arriva", "non ho ricevuto",
		"mai arrivat", "mai ricevut", "sto aspettando", "aspetto ancora", "aspetto da", "dov'e il mio", "dove il mio",
		"dov'e finit", "dove e finit", "doveva arrivare", "dovevano arrivare", "doveva essere consegnat", "smarrit",
		"perso$", "persa$", "bloccat", "fermo$", "ferma$", "non consegnat", "in attesa",
		// de
		"verspat", "verzoger", "nicht angekommen", "nicht eingetroffen", "nicht erhalten", "nicht bekommen",
		"nie angekommen", "noch nicht da", "noch nicht angekommen", "noch nicht geliefert", "noch nichts",
		"warte auf", "warte seit", "warte noch", "wo ist mein", "wo bleibt", "sollte eigentlich", "hatte ankommen",
		"hatte geliefert", "sollte am", "verloren", "verschwunden", "hangt", "steckt fest", "nicht zugestellt",
		"nicht geliefert", "uberfallig",
		// fr
		"retard", "pas arrive", "pas recu", "jamais arrive", "jamais recu", "toujours pas recu", "n'est pas arrive",
		"n'ai pas recu", "n'ai toujours pas", "j'attends", "attends ma", "attends mon", "attends depuis", "ou est mon",
		"ou est ma", "ou en est", "devait arriver", "aurait du arriver", "devait etre livre", "perdu", "egare",
		"bloque", "pas livre", "non livre", "pas bouge",
		// es
		"retras", "no ha llegado", "no me ha llegado", "no han llegado", "no llega", "no llego", "no he recibido",
		"no recibi", "nunca llego", "sigo esperando", "estoy esperando", "espero mi", "esperando mi", "donde esta mi",
		"donde estan mis", "deberia haber llegado", "tenia que llegar", "tenia que haber llegado", "iba a llegar",
		"perdid", "extraviad", "atascad", "parado$", "no entregad", "sin entregar",
	},
	fDamaged: {
		"damaged", "broken", "broke$", "cracked", "smashed", "crushed", "shattered", "dented", "scratched", "torn$",
		"ripped", "leaking", "leaked", "stained", "dead on arrival", "arrived damaged",
		"uszkodz", "zniszcz", "rozbit", "pekniet", "peknie", "polaman", "zgniecion", "porysowan", "podart", "rozdart",
		"cieknie", "wyciek", "zepsut", "rozwalon", "pobit", "stluczon", "potluczon",
		"danneggiat", "rott", "rompe", "crepat", "incrinat", "schiacciat", "ammaccat", "graffiat", "strappat",
		"perde acqua", "macchiat", "distrutt",
		"beschadigt", "kaputt", "zerbrochen", "gebrochen", "gerissen", "zerkratzt", "zerdruckt", "eingedellt",
		"zerrissen", "ausgelaufen", "undicht", "verbeult", "fleck",
		"endommage", "abime", "casse", "cassee", "brise", "fissure", "ecrase", "raye", "rayee", "dechire", "fuit$",
		"tache", "cabosse", "defonce",
		"danad", "roto", "rota$", "rotos", "rotas", "rompi", "agrietad", "aplastad", "abollad", "rayad", "rasgad",
		"gotea", "manchad", "destrozad", "estropead",
	},
	fMissing: {
		"missing", "wrong item", "wrong product", "wrong size", "wrong colour", "wrong color", "wrong order",
		"someone else's", "not what i ordered", "incomplete", "only one of", "only received", "instead of",
		"empty box", "box was empty", "not included", "part of my order",
		"brakuje", "brak$", "brakowalo", "zly rozmiar", "zly kolor", "zly produkt", "inny produkt", "nie to co zamow",
		"niekompletn", "zamiast", "pusta paczka", "puste pudelko", "nie bylo w paczce", "czesc zamowienia",
		"manca", "mancano", "mancante", "sbagliat", "non e quello che ho ordinato", "incomplet", "invece di", "invece del",
		"invece della", "pacco vuoto", "scatola vuota", "solo uno dei", "solo una delle",
		"fehlt", "fehlen", "fehlend", "falsch", "falsche", "falschen", "nicht das bestellte", "unvollstandig",
		"statt$", "anstatt", "anstelle", "leeres paket", "paket war leer", "nur einer der", "nur eins",
		"manque", "manquant", "mauvais article", "mauvaise taille", "mauvaise couleur", "mauvais produit",
		"pas ce que j'ai commande", "incomplet", "au lieu de", "colis vide", "boite vide", "seulement un des",
		"falta", "faltan", "faltaba", "equivocad", "incorrect", "no es lo que pedi", "incomplet", "en lugar de",
		"en vez de", "caja vacia", "paquete vacio", "solo uno de", "solo me llego",
	},
	fRefund: {
		"refund", "money back", "reimburse", "repaid", "credit back",
		"zwrot pieniedzy", "zwrot srodkow", "zwrotu pieniedzy", "zwrotu srodkow", "oddajcie pieniadze", "pieniadze",
		"zwrocic pieniadze", "zwrocono", "przelew zwrot",
		"rimbors", "restituzione dei soldi", "soldi$", "riavere i soldi", "storno",
		"erstattung", "ruckerstattung", "erstatten", "geld zuruck", "mein geld", "gutschrift", "zuruckuberweis",
		"rembourse", "remboursement", "mon argent",
		"reembolso", "reembols", "devolucion del dinero", "mi dinero", "devolver el dinero",
	},
	fReview: {
		"bad review", "negative review", "one star", "1 star", "1-star", "trustpilot", "leave a review", "write a review",
		"tell everyone", "social media", "warn others", "facebook", "google review",
		"negatywn", "opinie", "opinia", "komentarz", "ostrzege", "jedna gwiazd", "wystawie", "allegro",
		"recension", "una stella", "sconsiglier", "avvisero",
		"bewertung", "rezension", "ein stern", "einen stern", "warnen",
		"avis negatif", "mauvais avis", "une etoile", "mauvaise note", "deconseiller", "reseaux sociaux",
		"resena", "una estrella", "mala valoracion", "valoracion negativa", "opinion negativa", "redes sociales",
	},
	fCancel: {
		"cancel", "cancell", "anulow", "anuluj", "rezygnuj", "odstap", "annull", "disdir", "stornier", "storno",
		"widerruf", "annuler", "annulation", "cancelar", "cancelacion", "anular",
	},
	fHypothetical: {
		"what if", "what happens if", "in case", "if$", "suppose",
		"jesli", "jezeli", "gdyby", "w razie", "na wypadek", "co jesli", "co jezeli", "co w przypadku",
		"e se", "cosa succede se", "nel caso", "in caso", "qualora", "se il", "se la", "se lo", "se un", "se una",
		"wenn$", "falls$", "im fall", "was passiert wenn",
		"et si", "au cas ou", "en cas de", "que se passe-t-il si", "si le", "si la", "si mon", "si ma", "si un", "si une",
		"y si", "en caso de", "que pasa si", "por si", "si el", "si mi", "si el paquete",
	},

	topicDelivery: {
		"deliver", "shipping", "shipment", "ship$", "shipped", "parcel", "package", "courier", "tracking", "dispatch",
		"arrive", "postage", "dhl", "ups$", "dpd", "gls", "fedex", "royal mail", "inpost", "paczkomat", "post office",
		"dostaw", "wysyl", "wyslal", "wyslan", "przesylk", "paczk", "kurier", "doreczon", "dotar", "doszl", "odbior",
		"spedizion", "spedit", "consegn", "pacco", "corriere", "tracciament", "arriv", "ritiro",
		"lieferung", "liefer", "versand", "versend", "verschick", "paket", "sendung", "zustell", "angekommen", "abhol",
		"livraison", "livre", "livrer", "expedi", "envoi", "colis", "transporteur", "suivi", "arrive", "retrait",
		"envio", "enviad", "entrega", "entregad", "paquete", "mensajer", "seguimiento", "llegad", "llega", "recogida", "correos",
	},
	topicReturns: {
		"return", "refund", "exchange", "send it back", "send back", "money back", "replacement", "replace",
		"zwrot", "zwroc", "wymian", "odeslac", "odesle", "oddac",
		"reso", "restitu", "rimbors", "cambio", "sostituz", "rimandare", "rispedire",
		"rucksend", "rucksendung", "zuruckschick", "zurucksend", "umtausch", "erstatt", "ersatz", "retoure",
		"retour", "rembours", "echange", "renvoyer", "remplacement",
		"devolu", "devolver", "reembols", "cambiar", "reemplazo", "sustitu",
	},
	topicWarranty: {
		"warranty", "guarantee", "repair",
		"gwaranc", "naprawa", "naprawy", "serwis",
		"garanzi", "riparazion", "assistenza tecnica",
		"garantie", "gewahrleistung", "reparatur",
		"garantie", "reparation", "sav$",
		"garantia", "reparacion", "servicio tecnico",
	},
	topicBilling: {
		"invoice", "receipt", "vat$", "payment", "paid", "pay$", "charged", "charge", "billing", "bank transfer",
		"paypal", "blik", "klarna", "discount code", "coupon", "promo code", "price",
		"faktur", "paragon", "rachun", "platnosc", "platnosci", "zaplac", "oplac", "obciaz", "przelew", "kod rabatow",
		"fattur", "ricevuta", "pagament", "pagat", "addebit", "bonifico", "codice sconto", "coupon", "prezzo",
		"rechnung", "quittung", "beleg", "zahlung", "bezahl", "abgebucht", "uberweisung", "gutschein", "rabattcode", "preis",
		"facture", "paiement", "paye", "debite", "preleve", "virement", "code promo", "prix",
		"factura", "recibo", "pago", "pagad", "cobrad", "cobro", "cargo", "transferencia", "cupon", "codigo de descuento", "precio",
	},
	topicProduct: {
		"size", "colour", "color", "material", "fit$", "fits", "in stock", "available", "compatible", "battery",
		"dimensions", "product", "quality", "model",
		"rozmiar", "kolor", "material", "pasuje", "dostepn", "kompatybil", "bateri", "wymiar", "produkt", "jakosc", "model",
		"taglia", "colore", "tessuto", "disponibil", "compatibil", "batteri", "dimension", "prodotto", "qualita", "modello",
		"grosse", "farbe", "stoff", "verfugbar", "kompatib", "akku", "abmessung", "produkt", "artikel", "qualitat", "modell",
		"taille", "couleur", "matiere", "disponible", "compatible", "batterie", "dimension", "produit", "article", "qualite", "modele",
		"talla", "color$", "tejido", "disponible", "compatible", "bateria", "medidas", "producto", "articulo", "calidad", "modelo",
	},
	topicStore: {
		"opening hours", "open on", "your shop in", "store in", "showroom", "address of", "location",
		"godziny otwarcia", "sklep stacjonarn", "salon", "adres sklepu",
		"orari", "negozio fisico", "indirizzo del negozio",
		"offnungszeiten", "filiale", "ladengeschaft", "adresse des",
		"horaires", "magasin physique", "boutique physique", "adresse du magasin",
		"horario", "tienda fisica", "direccion de la tienda",
	},
}
