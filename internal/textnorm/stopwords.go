package textnorm

import "strings"

// The stopword policy. ragkb has one list of stopwords: IsStopword, the
// very frequent function words of the six languages, used wherever a
// question is reduced to the words that carry its topic: the full-text
// query (store.LexicalTerms) and the relevance score's content terms
// (Terms). The grounding check of answers ignores more: the function words
// and the boilerplate of support replies ("feel free to contact us", "thank
// you for your question"), IsGroundingStopword. Words are folded
// (FoldSQLite and Fold agree on every listed word).

// IsStopword reports whether word (folded, lower case) is a very frequent
// function word of en, it, fr, de, pl or es.
func IsStopword(word string) bool { return functionWords[word] }

// IsGroundingStopword reports whether word (folded, lower case) says
// nothing the sources of an answer must back: a function word
// (IsStopword) or the boilerplate of support replies in the six languages.
func IsGroundingStopword(word string) bool { return functionWords[word] || boilerplate[word] }

// functionWords are very frequent function words (folded, lower case) of the
// languages merchants use most. The list is short on purpose: it removes the
// words that match nearly every passage and so only cost time, and words
// that must not make an unrelated passage look relevant.
// Keeping the question words among them (can, could, would, should, get,
// got, how, what, when, where, why) was measured with bench/peers on
// BANKING77 (analysis version 1): lexical top-1 57.6 -> 57.6% on FAQ
// entries, 80.9 -> 81.3% on long documents, hybrid 59.6 -> 59.3%: no gain,
// so they stay dropped. It is the union of the lists the lexical query and
// the relevance score used to keep apart.
var functionWords = func() map[string]bool {
	lists := []string{
		// en
		`a an the and or but if of to in on at by for from with about as into
		is are was were be been being am do does did have has had can could will would shall should may might must
		i me my mine we us our ours you your yours he him his she her it its they them their this that these those
		what which who whom whose when where why how there here any some all no not so than then too very
		get got just also please hi hello thanks thank
		done give know need over tell want yes`,
		// it
		`il lo la i gli le un uno una di da del dello della dei degli delle al allo alla ai agli alle
		dal dalla dai nel nello nella nei negli nelle sul sulla sui con per tra fra e ed o ma se che chi cui non
		sono sei siamo siete ho hai ha abbiamo avete hanno essere avere mi ti ci vi si me te ne lui lei noi voi loro
		mio mia miei mie tuo tua suo sua nostro nostra vostro vostra questo questa quello quella come dove quando
		perche quale quali cosa anche piu gia
		posso potete puoi voglio vorrei`,
		// fr
		`le la les l un une des du de d au aux et ou mais si que qu qui quoi dont ne pas plus en dans sur sous avec
		pour par ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je j tu il elle
		nous vous ils elles on me m te t se s est sont suis es etes etre avoir ai as a avons avez ont comment ou
		quand pourquoi quel quelle quels quelles y c`,
		// de
		`der die das den dem des ein eine einer eines einem einen und oder aber wenn dass ob zu im in am an auf aus bei
		mit nach von vom zum zur fur uber unter ist sind bin bist seid war waren sein haben hat habe hast habt
		ich du er sie es wir ihr mich mir dich dir uns euch mein meine meinen meinem dein deine ihre ihren unser
		unsere nicht kein keine wie wo wann warum was welche welcher welches auch noch schon man kann konnen
		wer`,
		// pl
		`i a o u w we z ze na do od po za przez dla przy pod nad przed jak jest sa byc byl byla bylo mam ma masz mamy
		macie maja moge mozna czy nie tak to ten ta te tego tej tym ja ty on ona ono my wy oni one mi mnie ci cie go
		jej mu nam wam ich moj moja moje moj twoj twoja nasz nasza wasz wasza sie co jaki jaka jakie gdzie kiedy
		dlaczego ktory ktora ktore oraz lub albo ale tez juz jeszcze prosze
		kto`,
		// es
		`el la los las un una unos unas de del al y e o u pero si que quien en con por para sin sobre entre
		es son soy eres somos ser estar esta estan estoy hay he ha has han tengo tiene tienen yo tu usted ustedes el ella
		nosotros vosotros ellos ellas me te se nos os le les lo mi mis su sus nuestro nuestra este esta estos esto
		ese esa como donde cuando porque cual cuales que muy mas ya tambien puedo puede pueden
		vuestro`,
	}
	return wordSet(lists...)
}()

// boilerplate are the words of support replies the grounding check ignores
// besides the function words: function words and support phrasing ("feel
// free to contact us") in the six languages, folded.
var boilerplate = wordSet(
	// en
	`a an the and or but if then than so as at by for from in into of off on onto out over to up with within without about after before between during under
	is are was were be been being am do does did done have has had having will would shall should can could may might must
	i me my mine we us our ours you your yours he him his she her it its they them their theirs this that these those there here
	what which who whom whose when where why how all any both each few more most other some such no nor not only own same too very
	just also still yet again ever once already please thanks thank welcome sorry unfortunately happy glad help helps helped hesitate feel
	question questions ask let know need needs like hope information info team contact reach assist anything else something everything
	yes okay ok sure course certainly indeed however therefore note`,
	// it
	`il lo la i gli le un uno una di del dello della dei degli delle a al allo alla ai agli alle da dal dallo dalla dai dagli dalle in nel nello nella nei negli nelle
	con col su sul sullo sulla sui sugli sulle per tra fra e ed o oppure ma se che chi cui non piu anche come dove quando quale quali quanto
	sono sei siamo siete era erano essere stato stata ho hai ha abbiamo avete hanno avere puo possono puoi potete deve devono
	io tu lui lei noi voi loro mi ti ci vi si ne suo sua suoi sue nostro nostra vostro vostra questo questa questi queste quello quella
	grazie prego piacere aiutare aiuto domanda domande chiedere contattarci contattare informazioni certo purtroppo sempre gia ancora molto`,
	// fr
	`le la les l un une des du de d au aux a en dans par pour sur sous avec sans entre vers chez et ou mais donc or ni car si que qu qui quoi dont ne pas plus
	est sont etait etre ete ai as avons avez ont avoir peut peuvent pouvez doit doivent fait faire
	je j me m tu te t il elle on nous vous ils elles se s son sa ses notre nos votre vos leur leurs ce cet cette ces ceci cela ca y
	merci bienvenue plaisir aider aide question questions demander contacter informations bien sur certes malheureusement toujours deja encore tres aussi`,
	// de
	`der die das den dem des ein eine einen einem einer eines und oder aber wenn dann als so wie wo wann warum was wer nicht kein keine auch noch schon nur sehr
	in im ins an am auf aus bei mit nach von vom zu zum zur fur uber unter vor hinter zwischen durch ohne gegen bis seit
	ist sind war waren sein gewesen habe hast hat haben hatte hatten wird werden wurde wurden kann konnen kannst konnt muss mussen soll sollen darf durfen mochten
	ich mich mir du dich dir er sie es wir uns ihr euch ihnen ihm ihn sein seine ihre ihr unser unsere euer dies diese dieser dieses jene man sich
	danke bitte gerne gern helfen hilfe frage fragen kontaktieren informationen leider naturlich sicher immer`,
	// pl
	`i a o u w we z ze do na od po za przy pod nad przez dla bez mi ci go jej je ich im nas was wam mu sie to ten ta te tego tej tym tych ktory ktora ktore
	jest sa byl byla bylo byly byc bedzie beda ma mamy macie maja mozna moze mozesz mozecie musi trzeba jak gdzie kiedy czy co kto dlaczego nie tak juz jeszcze
	ja ty on ona ono my wy oni one moj moja moje nasz nasza nasze wasz wasza swoj swoja swoje tez takze oraz lub albo ale jesli jezeli ze
	dziekujemy dziekuje prosze pomoc pomocy pytanie pytania pytac kontakt skontaktowac informacje oczywiscie niestety zawsze bardzo`,
	// es
	`el la los las lo un una unos unas de del al a en con por para sin sobre entre hasta desde hacia y e o u pero si que quien cual cuales cuando donde como no mas
	es son era eran ser sido estar esta estan esto estos estas este ese esa eso he has ha hemos habeis han haber puede pueden puedes podeis debe deben hay
	yo tu el ella nosotros vosotros ellos ellas me te se nos os le les mi mis su sus nuestro nuestra vuestro vuestra tambien muy ya todavia siempre
	gracias favor ayudar ayuda pregunta preguntas contactar contactarnos informacion claro desgraciadamente lamentablemente`,
)

func wordSet(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			if f := FoldSQLite(w); f != w {
				panic("textnorm: stopword " + w + " is not folded")
			}
			m[w] = true
		}
	}
	return m
}
