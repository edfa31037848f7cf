package guard

import "strings"

// stopwords are function words and support boilerplate ("feel free to
// contact us") in the six languages, folded. The grounding check ignores
// them: they say nothing the sources must back.
var stopwords = buildStopwords(
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

func buildStopwords(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}
