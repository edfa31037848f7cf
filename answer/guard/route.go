package guard

import (
	"regexp"
	"slices"
	"strings"
)

// Routing reasons.
const (
	ReasonHumanRequested = "human_requested"
	ReasonCard           = "sensitive:card"    // stolen, lost or blocked payment cards
	ReasonFraud          = "sensitive:fraud"   // fraud, scams, unauthorised charges, hacked accounts
	ReasonDispute        = "sensitive:dispute" // chargebacks and payment disputes
	ReasonLegal          = "sensitive:legal"   // lawyers, courts, authorities, consumer bodies
	ReasonHealth         = "sensitive:health"  // allergic reactions, injuries, emergencies, dangerous products
	// ReasonCardNumber: the message carried a payment card number (found
	// by Redact), which only a person should handle.
	ReasonCardNumber = "sensitive:card_number"
	// ReasonComplaint: anger, insults, "this is unacceptable": a person
	// handles it unless the assistant opts out.
	ReasonComplaint = "complaint"
	// ReasonOrder: a question about one order, named by its number ("my
	// order 5531 still hasn't arrived"): no generic text answers it.
	ReasonOrder = "order_specific"
)

// Routing says whether a question must go to a person, and why.
type Routing struct {
	ToAgent bool
	// Reason is ReasonHumanRequested or one of the "sensitive:" reasons;
	// empty when ToAgent is false.
	Reason string
}

// w is "up to n words in the same sentence": the gap allowed between the
// parts of a phrase.
func w(n int) string { return `(?:\s+[^\s.!?;]+){0,` + string(rune('0'+n)) + `}?\s+` }

// routeRule is one reason's patterns over folded text (lower case, no
// diacritics, straight apostrophes, single spaces).
type routeRule struct {
	reason string
	res    []*pattern
}

// mustAll compiles the patterns of a reason, each with its prefilter
// (pattern): a question is tried only against the patterns whose literals
// it contains.
func mustAll(patterns ...string) []*pattern {
	out := make([]*pattern, len(patterns))
	for i, p := range patterns {
		out[i] = compilePattern(p)
	}
	return out
}

const (
	please     = `(?:please|pls|plz|now|asap|per favore|grazie|subito|s'il vous plait|svp|stp|bitte|sofort|prosze|pilnie|teraz|por favor|porfa|ya|ahora)`
	personWord = `(?:human|agent|operator|representative|operatore|operatrice|umano|conseiller|conseillere|humain|mitarbeiter|mensch|berater|kundenberater|konsultant|konsultanta|konsultantem|czlowiek|czlowieka|czlowiekiem|humano|agente|operador|operadora|asesor|asesora)`
	cardNoun   = `(?:card|cards|creditcard|carta|carte|cb|bancomat|karte|kreditkarte|ec-karte|bankkarte|girocard|debitkarte|karta|karty|karcie|kartka|tarjeta|tarjetas)`
	cardState  = `(?:stolen|stole|steal|theft|hacked|lost|blocked|compromised|cloned|skimmed|rubata|rubato|rubate|persa|perso|smarrita|bloccata|clonata|volee|vole|perdue|perdu|bloquee|bloque|clonee|piratee|gestohlen|geklaut|verloren|gesperrt|kopiert|skradzion\w*|ukradzion\w*|ukradl\w*|ukradli|zgubion\w*|zgubil\w*|zablokowan\w*|zablokowal\w*|sklonowan\w*|robada|robado|robaron|perdida|perdido|bloqueada|bloqueado|clonada|extraviada|extravie)`
)

// routeRules are checked in order; the first match decides the reason.
var routeRules = []routeRule{
	{ReasonHumanRequested, mustAll(
		// en
		`\b(?:talk|speak|chat|connect me|transfer me|put me through)\b`+w(5)+`(?:a |an |the |some |your |real |live |actual )*(?:human|humans|person|people|agent|operator|representative|rep|someone|somebody|staff|advisor|adviser|consultant|employee|manager|supervisor)\b`,
		`\b(?:real|live|actual) (?:human|person|agent|people)\b`,
		`\b(?:i want|i need|i'd like|i would like|give me|get me|can i have|can i get)\b`+w(2)+`(?:a |an )?(?:human|real person|agent|operator|representative)\b`,
		`\bcustomer (?:service|support) (?:agent|representative|rep)\b`,
		// it
		`\b(?:parlare|parlo|parla|chattare|mettermi in contatto|contattare|passami|passarmi|collegami|collegarmi)\b`+w(4)+`(?:con |a |un |una |uno |un'|l'|il |la |lo |qualche |vero |vera )*(?:operator\w*|persona|umano|essere umano|assistente|addett\w*|consulente|qualcuno|impiegat\w*|responsabile)\b`,
		`\b(?:voglio|vorrei|mi serve|ho bisogno di)\b`+w(2)+`(?:un |una |un')?(?:operator\w*|persona (?:reale|vera)|essere umano|umano)\b`,
		`\b(?:persona (?:reale|vera)|essere umano)\b`,
		// fr
		`\b(?:parler|discuter|joindre|contacter|mettre en relation|echanger)\b`+w(4)+`(?:a |avec |un |une |au |le |la |l')*(?:conseiller\w*|humain|personne (?:reelle|physique)|vraie personne|une personne|agent|operat\w*|quelqu'un|interlocut\w*|employe\w*|responsable|service client)\b`,
		`\b(?:je veux|je voudrais|j'aimerais|je souhaite|je demande)\b`+w(3)+`(?:un |une )?(?:conseiller\w*|humain|vraie personne|agent|operat\w*)\b`,
		`\b(?:vraie personne|etre humain|personne reelle)\b`,
		// de
		`\b(?:mit|zu|an)\s+(?:einem|einer|einen|dem|der|den|ihrem|ihrer|ihren)?\s*(?:echten\s+|richtigen\s+|menschlichen\s+)?(?:mitarbeiter\w*|menschen|mensch|person|berater\w*|kundenberater\w*|agenten|kundendienst|kundenservice|sachbearbeiter\w*|support|jemandem|ansprechpartner\w*|servicemitarbeiter\w*)\b`+`(?:\s+[^\s.!?;]+){0,3}?\s*(?:sprechen|reden|verbunden|verbinden|chatten|telefonieren|weitergeleitet|weiterleiten)\b`,
		`\b(?:sprechen|reden|verbinden|weiterleiten)\b`+w(4)+`(?:mit |zu |an )?(?:einem |einer |einen )?(?:mitarbeiter\w*|menschen|mensch|berater\w*|kundenberater\w*|agenten|sachbearbeiter\w*|ansprechpartner\w*)\b`,
		`\b(?:echte[nmr]?|richtige[nmr]?) (?:mensch\w*|person|mitarbeiter\w*)\b`,
		`\bich (?:will|mochte|brauche|hatte gern|hatte gerne)\b`+w(3)+`(?:einen |eine )?(?:mitarbeiter\w*|menschen|berater\w*|ansprechpartner\w*)\b`,
		// pl
		`\b(?:rozmawiac|porozmawiac|rozmowa|rozmowy|rozmowe|polacz\w*|przelacz\w*|pogadac|skontaktowac|kontakt)\b`+w(4)+`(?:z |ze |do |na )?(?:konsultant\w*|czlowiek\w*|osob\w*|pracownik\w*|agent\w*|operator\w*|doradc\w*|kims|ludzmi|obsluga|zywym|zywa|prawdziw\w*)\b`,
		`\b(?:chce|chcialbym|chcialabym|poprosze|prosze o|potrzebuje|daj(?:cie)? mi)\b`+w(2)+`(?:konsultant\w*|czlowiek\w*|pracownik\w*|operator\w*|doradc\w*|zywego|zywa|prawdziw\w*)\b`,
		`\b(?:zyw\w*|prawdziw\w*) (?:czlowiek\w*|osob\w*|konsultant\w*)\b`,
		// es
		`\b(?:hablar|habla|hable|comunicarme|contactar|pasame|paseme|pasarme|chatear|atienda|comunicar)\b`+w(4)+`(?:con |a |una |un |el |la |algun |alguna )*(?:persona|humano|ser humano|agente|operador\w*|asesor\w*|representante|alguien|empleado\w*|encargad\w*|gestor\w*)\b`,
		`\b(?:quiero|necesito|quisiera|me gustaria)\b`+w(2)+`(?:un |una )?(?:humano|ser humano|agente|operador\w*|asesor\w*|persona real)\b`,
		`\b(?:persona real|ser humano|persona de verdad)\b`,
		// any: the message is little more than the word ("human please", "operatore")
		`^\W*(?:a |an |un |une |ein |einen )?(?:real |live |vero |vrai )?`+personWord+`\W*`+please+`?\W*$`,
		`^\W*`+please+`\W+`+personWord+`\W*$`,
	)},
	{ReasonCard, mustAll(
		`\b`+cardNoun+`\b`+w(5)+cardState+`\b`,
		`\b`+cardState+`\b`+w(5)+`(?:\S+ )?(?:credit |debit |bank |di credito |bancaire |de credito |kredytow\w* |platnicz\w* )?`+cardNoun+`\b`,
		`\b(?:block|freeze|cancel) (?:my|the) (?:credit |debit |bank )?card\b`,
		`\b(?:bloccare|blocca|bloccate) (?:la )?(?:mia )?carta\b`,
		`\b(?:bloquer|bloquez|faire opposition sur) (?:ma |la )?carte\b`,
		`\b(?:karte|kreditkarte) (?:sperren|sperrt|blockieren)\b`,
		`\b(?:zablokowac|zablokujcie|zastrzec|zastrzezenie) (?:moja |mojej )?(?:karte|karty)\b`,
		`\b(?:bloquear|bloqueen|cancelar) (?:mi |la )?tarjeta\b`,
		`\bskimm\w*\b`,
	)},
	{ReasonFraud, mustAll(
		`\b(?:fraud\w*|scam|scams|scammed|scammer\w*|phishing|identity theft|hacked|hacker\w*)\b`,
		`\bunauthori[sz]ed (?:charge|payment|transaction|debit|purchase|withdrawal|access)`,
		`\bi (?:did not|didn't|never) (?:make|authori[sz]e|order|place) (?:this|that|these|the|any)\b`+w(2)+`(?:purchase|payment|charge|order|transaction)`,
		`\b(?:frode|frodi|truffa\w*|truffat\w*|raggir\w*|hackerat\w*|furto d'identita)\b`,
		`\b(?:addebit|pagament|transazion|acquist)\w* non autorizzat\w*`,
		`\bnon ho (?:mai )?(?:fatto|autorizzato|effettuato) (?:questo |quest'|l'|il |quell')?(?:acquisto|ordine|pagamento|addebito)`,
		`\b(?:fraude\w*|frauduleu\w*|arnaque\w*|escroc\w*|hameconnage|piratage|usurpation d'identite)\b`,
		`\b(?:compte|carte) (?:a ete )?pirate`,
		`\b(?:paiement|prelevement|debit|transaction|achat)s? non autorises?\b`,
		`\bje n'ai (?:jamais )?(?:fait|autorise|effectue|passe) (?:cet|cette|ce) (?:achat|paiement|commande|prelevement)`,
		`\b(?:betrug\w*|betruger\w*|betrogen|abzocke|abgezockt|gehackt|identitatsdiebstahl)\b`,
		`\b(?:nicht autorisiert\w*|unautorisiert\w*|unbefugt\w*)\b`,
		`\bich habe (?:das|dies|diese|diesen|den|die) (?:\S+ )?(?:nicht|nie) (?:bestellt|gekauft|autorisiert)`,
		`\b(?:oszust\w*|oszuk\w*|wyludz\w*|nieautoryzowan\w*|zhakowan\w*|kradziez tozsamosci|podszyw\w*)\b`,
		`\bnie (?:zlecal\w*|autoryzowal\w*|robil\w* (?:tego|tej|takiego|takiej) (?:zakupu|platnosci|zamowienia))`,
		`\bwlamanie na (?:moje )?konto\b`,
		`\b(?:estafa\w*|estafad\w*|hackead\w*|suplantacion de identidad|robo de identidad)\b`,
		`\b(?:cargo|cobro|pago|compra)s? no autorizad[oa]s?\b`,
		`\bno reconozco (?:este|el|un|ese|esta|la) (?:cargo|cobro|pago|compra)`,
	)},
	{ReasonDispute, mustAll(
		`\b(?:chargeback\w*|charge back|payment dispute|paypal (?:claim|dispute|case))\b`,
		`\b(?:dispute|disputing|disputed|contest|contesting) (?:the |a |this |my |that )?(?:charge|payment|transaction)`,
		`\b(?:open|opened|opening|file|filed|raise|raised) (?:a )?(?:dispute|claim) (?:with|at|on) (?:my bank|the bank|paypal|klarna|visa|mastercard)`,
		`\b(?:i will|i'll|i am going to|i'm going to|going to) (?:contact|call|ask) my bank\b`,
		`\breverse (?:the|this|my) (?:charge|payment)`,
		`\b(?:storn\w* (?:dell'|del |l'|il )?(?:addebito|pagamento)|contestar\w* (?:l'|il |un |questo )?(?:addebito|pagamento|transazione)|contestazione (?:dell'|del |di )?(?:addebito|pagamento)|disconosc\w* (?:l'|il )?(?:addebito|pagamento)|(?:apri\w*|aperto) (?:una )?(?:contestazione|disputa|controversia)|controversia paypal)\b`,
		`\b(?:retrofacturation|rejet de prelevement|ouvrir un litige|litige (?:paypal|bancaire|avec (?:ma|la) banque))\b`,
		`\bcontest\w* (?:le |la |un |une |ce |cette )?(?:paiement|prelevement|debit|transaction|achat)`,
		`\bopposition (?:au|sur le|sur un) (?:prelevement|paiement)`,
		`\b(?:ruckbuchung\w*|zuruckbuch\w*|zuruckgebucht|kauferschutz)\b`,
		`\blastschrift (?:\S+ )?(?:zuruck\w*|widerrufen|widersprechen)`,
		`\bzahlung (?:\S+ )?(?:anfechten|zuruckholen|zuruckfordern)`,
		`\b(?:obciazeni\w* zwrotn\w*|zakwestion\w* (?:platnosc|transakcj\w*|obciazeni\w*)|spor (?:z|w|na) paypal\w*|reklamacj\w* (?:w|do) banku)\b`,
		`\bzglos\w* (?:to |sprawe |reklamacje )?do (?:mojego )?banku\b`,
		`\b(?:contracargo\w*|retrocesion|devolucion del cargo|anular el cargo)\b`,
		`\b(?:disputa|reclamacion) (?:del |de |en )?(?:cargo|pago|paypal)`,
		`\babrir (?:una )?disputa\b`,
		`\breclamar\w* (?:el cargo |el pago |el dinero )?(?:a|al|en) (?:mi |el )?banco\b`,
	)},
	{ReasonLegal, mustAll(
		`\b(?:lawyer\w*|attorney\w*|solicitor\w*|lawsuit\w*|legal action|legal proceedings|legal steps|small claims|see you in court|in court|court case|to court|consumer protection|trading standards|ombudsman)\b`,
		`\b(?:i will|i'll|i am going to|i'm going to|going to|will|gonna) sue\b|\bsue (?:you|your|them|this)\b|\bsuing\b`,
		`\breport (?:you|your company|this|it) to (?:the )?(?:authorities|police|ftc|bbb|consumer)`,
		`\b(?:avvocat\w*|vie legali|azion[ei] legal[ei]|causa (?:legale|civile)|fare causa|faro causa|denunc\w*|tribunale|giudice di pace|carabinieri|polizia postale|tutela (?:del )?consumator\w*|associazion\w* (?:dei |di )?consumatori|agcm|codacons|altroconsumo|diffida)\b`,
		`\b(?:mon|notre|votre) avocat\b|\b(?:contacter|consulter|prendre|saisir|appeler|voir) (?:un|mon) avocat\b`,
		`\b(?:porter plainte|deposer (?:une )?plainte|plainte (?:contre|aupres)|tribunal|en justice|poursuites judiciaires|mise en demeure|dgccrf|ufc[- ]que choisir|association de consommateurs|protection des consommateurs|mediateur de la consommation)\b`,
		`\b(?:anwalt\w*|rechtsanwalt\w*|anwaltin\w*|verklag\w*|rechtliche\w* schritte|gerichtlich\w*|vor gericht|zum gericht|verbraucherzentrale|verbraucherschutz\w*|schlichtungsstelle|abmahnung|strafanzeige)\b`,
		`\bklage (?:\S+ )?(?:einreichen|erheben)\b|\banzeige (?:erstatten|gegen)\b|\bzur polizei\b`,
		`\b(?:prawnik\w*|adwokat\w*|radc\w* prawn\w*|pozew|pozwe|pozwiemy|pozwac|do sadu|w sadzie|sadow\w*|kroki prawne|krokow prawnych|uokik|rzecznik\w* (?:praw )?konsument\w*|inspekcj\w* handlow\w*|na policje|zawiadomieni\w* o przestepstwie)\b`,
		`\b(?:abogad\w*|demandar\w*|demandare|poner una demanda|interponer una demanda|acciones legales|medidas legales|via judicial|tribunal\w*|juzgado|denunciar\w*|os denunciare|omic|oficina del consumidor|hoja de reclamaciones|proteccion al consumidor|facua)\b`,
	)},
	{ReasonHealth, mustAll(
		`\b(?:allergic reaction|anaphyla\w*|anaphylactic|epipen|emergency room|a&e|ambulance|medical emergency|it'?s an emergency|food poisoning|poisoned|electric shock|caught fire)\b`,
		`\b(?:i|he|she|we|they|my \w+|our \w+) (?:got|was|were|have been|has been|am|is|are) (?:badly |seriously )?(?:injured|hurt)\b|\binjured (?:me|my|him|her|myself|us)\b|\bcaus\w* (?:an? |serious )?injur\w*|\binjur(?:y|ies) (?:from|caused)\b`,
		`\b(?:went|go|going|taken|rushed|ended up) (?:to |in )(?:the )?(?:hospital|er|emergency)\b|\bin (?:the )?hospital\b`,
		`\bhurt (?:myself|himself|herself|me|my|him|her|them|us)\b|\bcut (?:myself|my finger|my hand)\b|\bburn(?:ed|t) (?:myself|me|my)\b|\bgot burned\b`,
		`\bmade (?:me|my \w+|us|him|her) (?:sick|ill)\b|\b(?:i|he|she|we|they) got (?:sick|ill)\b|\b(?:rash|swelling|blisters|hives) (?:after|from)\b|\bchok(?:ed|ing) on\b`,
		`\b(?:reazione allergica|shock anafilattico|anafilassi|pronto soccorso|in ospedale|all'ospedale|ambulanza|emergenza medica|intossicazione|avvelenat\w*|eruzione cutanea|preso fuoco|scossa elettrica)\b`,
		`\b(?:(?:sono|e|siamo|sei|si e|mi sono) (?:rimast[oaie] )?ferit[oaie]|(?:mi sono |si e )?ustionat[oaie]|mi sono (?:fatto|fatta) male|si e (?:fatto|fatta) male|mi ha fatto male|mi sono sentit[oa] male|sono stat[oa] male)\b`,
		`\b(?:reaction allergique|choc anaphylactique|anaphylaxie|aux urgences|l'hopital|ambulance|samu|urgence medicale|intoxication|empoisonn\w*|rendu malade|eruption cutanee|pris feu|decharge electrique)\b`,
		`\bje me suis (?:fait mal|blesse\w*|brule\w*|coupe\w*)\b|\bj'ai ete malade\b|\b(?:suis|est|sommes|s'est|se sont|ete|a ete) (?:\S+ )?blesse\w*`,
		`\b(?:allergische\w* reaktion|anaphylakt\w*|allergische\w* schock|notaufnahme|im krankenhaus|ins krankenhaus|krankenwagen|rettungswagen|notarzt|medizinische\w* notfall|verletzt|verbrannt|lebensmittelvergiftung|vergiftet|krank geworden|in brand|stromschlag)\b`,
		`\b(?:hautausschlag|ausschlag) (?:bekommen|nach|von)\b`,
		`\b(?:reakcj\w* alergiczn\w*|wstrzas\w* anafilaktyczn\w*|anafilaks\w*|na sor|na sorze|w szpitalu|do szpitala|karetk\w*|pogotowi\w*|zranil\w*|zranion\w*|skaleczyl\w*|oparzyl\w*|poparzyl\w*|zatruci\w* pokarmow\w*|zatrul\w*|obrazen\w*|zapalil\w* sie|porazeni\w* pradem)\b`,
		`\b(?:dostal\w*|mam|pojawil\w* sie|wyskoczyl\w*) (?:\S+ )?wysypk\w*\b`,
		`\b(?:reaccion alergica|shock anafilactico|anafilaxia|a urgencias|en urgencias|al hospital|en el hospital|ambulancia|emergencia medica|intoxicacion|envenenad\w*|se incendio|descarga electrica)\b`,
		`\b(?:estoy|esta|estamos|quedo|resulto|salio|han) herid[oa]s?\b|\b(?:me he|se ha|nos hemos) lesionado\b|\bsufri\w* (?:una )?(?:lesion|quemadura)\b|\b(?:me|le) (?:salio|ha salido) (?:un )?sarpullido\b`,
		`\bme (?:he|ha) (?:hecho dano|lastimado|quemado|cortado)\b|\bme hice dano\b|\bme puse malo\b|\bme enferme\b`,
	)},
}

// complaintRule recognises angry complaints in the six languages: words of
// outrage and insult, not every mention of a problem ("my parcel is late"
// is a delivery question).
var complaintRule = routeRule{ReasonComplaint, mustAll(
	// en
	`\b(?:unacceptable|disgrace\w*|disgusting|outrageous|ridiculous|pathetic|shameful|appalling|atrocious|incompetent|rip[- ]?off)\b`,
	`\b(?:terrible|horrible|awful|worst|lousy|rubbish|useless) (?:service|shop|store|company|customer service|support|experience|quality)\b`,
	`\b(?:i am|i'm|im|we are|we're) (?:so |very |really |extremely |absolutely )?(?:angry|furious|livid|fuming|disgusted|outraged|fed up|sick and tired)\b`,
	`\b(?:fed up|sick of|shame on you|never (?:again|buying|ordering|order|buy) (?:from|here)|this is a joke|what a joke)\b`,
	// pl
	`\b(?:skandal\w*|niedopuszczaln\w*|nie do przyjecia|zenad\w*|zenujac\w*|zalosn\w*|oburz\w*|wsciek\w*|bezczeln\w*|kpina|kpiny|beznadziejn\w*|karygodn\w*|hanba|wstyd(?:liwe)?)\b`,
	`\b(?:najgorsz\w* (?:sklep|obsluga|firma|serwis)|nigdy wiecej|mam dosc|jestem (?:bardzo |strasznie )?(?:zly|zla|wkurzon\w*|zawiedzion\w*))\b`,
	// de
	`\b(?:inakzeptabel|unverschamt\w*|frechheit|skandal\w*|zumutung|lacherlich|miserabel|katastrophal|emport|wutend|stinksauer|nie wieder|schlechteste\w* (?:shop|laden|service|firma|kundenservice))\b`,
	`\bich bin (?:so |sehr |total |echt )?(?:sauer|wutend|enttauscht|verargert)\b`,
	// it
	`\b(?:inaccettabil\w*|vergogn\w*|scandal\w*|schifo\w*|ridicol\w*|indecente|incompetent\w*|arrabbiat\w*|furios\w*|mai piu|pessim\w* (?:servizio|negozio|assistenza|esperienza))\b`,
	`\bsono (?:molto |davvero |estremamente )?(?:deluso|delusa|arrabbiato|arrabbiata|indignato|indignata|stufo|stufa)\b`,
	// fr
	`\b(?:inacceptable|inadmissible|honte\w*|honteu\w*|scandale\w*|scandaleu\w*|lamentable|ridicule|inadmissible|furieu\w*|en colere|plus jamais|minable|incompetent\w*)\b`,
	`\bje suis (?:tres |vraiment |extremement )?(?:decu|decue|furieux|furieuse|en colere|outre|outree|indigne|indignee)\b`,
	// es
	`\b(?:inaceptable|verguenza|vergonzos\w*|escandal\w*|indignante|pesim\w*|ridicul\w*|furios\w*|enfadad\w*|cabread\w*|harto|harta|nunca mas|incompetente\w*|tomadura de pelo)\b`,
	`\bestoy (?:muy |super |realmente )?(?:decepcionad\w*|enfadad\w*|molest\w*|indignad\w*)\b`,
)}

// orderRe finds a word for an order or parcel followed by its number
// ("order 5531", "zamówienie nr 5531", "commande n° 5531", "#5531").
var orderRe = regexp.MustCompile(`(?:\b(?:order|orders|zamowieni\w*|ordine|ordini|commande|bestellung\w*|bestellnummer|auftrag\w*|pedido|pedidos|paczk\w*|przesylk\w*|parcel|package|shipment|sendung|colis|pacco|paquete|envio|numer zamowienia|order number|numero d'ordine|numero de commande|numero de pedido)\b\s*(?:(?:#|nr\.?|no\.?|n\.|n°|number|numer|numero|nummer|num\.?|id|:)\s*)*|#\s?)(\d{3,})\b(\s*\S+)?`)

// amountWords after a number mean it is a quantity or a price, not an order.
var amountWords = []string{"eur", "euro", "euros", "zl", "pln", "usd", "chf", "gbp", "pieces", "piece", "szt", "sztuk", "items", "stuck", "pezzi", "unidades", "kg", "g", "zloty", "zlotych", "dollars", "%"}

// OrderNumber reports whether text asks about one order by its number.
func OrderNumber(text string) bool {
	f := strings.Join(strings.Fields(fold(text)), " ")
	for _, m := range orderRe.FindAllStringSubmatch(f, -1) {
		next := strings.Trim(strings.TrimSpace(m[2]), ".,;:!?")
		if !slices.Contains(amountWords, next) {
			return true
		}
	}
	return false
}

// Route decides whether text (a customer's question, ideally already
// redacted) must go to a person: when the customer asks for one, or when
// the topic is one a bot must not handle (stolen or blocked cards, fraud,
// payment disputes, legal threats, health and safety incidents). It knows
// the six languages in their usual forms and tolerates missing diacritics;
// it prefers missing a rare phrasing to routing ordinary questions
// ("do you sell card games", "can I pay by card").
func Route(text string) Routing {
	f := strings.Join(strings.Fields(fold(text)), " ")
	if f == "" {
		return Routing{}
	}
	for _, rule := range routeRules {
		for _, re := range rule.res {
			if re.match(f) {
				return Routing{ToAgent: true, Reason: rule.reason}
			}
		}
	}
	if OrderNumber(text) {
		return Routing{ToAgent: true, Reason: ReasonOrder}
	}
	for _, re := range complaintRule.res {
		if re.match(f) {
			return Routing{ToAgent: true, Reason: ReasonComplaint}
		}
	}
	return Routing{}
}
