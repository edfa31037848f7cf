package lang

// profile is what the detector knows of one language: its common words
// (function words and the vocabulary of shop support) and a sample of
// support-style text its character trigrams are counted from. Both are
// written for this package, not taken from a corpus; the test questions
// in lang_test.go are separate from them.
type profile struct {
	code  string
	prior float64 // log prior: the six languages that matter are favoured
	words string
	text  string
}

var profiles = []profile{
	{
		code: "en",
		words: `the a an and or but is are was were be been do does did have has had will would can could should may might must
		i you he she it we they me my your our their this that these those what which who when where why how not no yes please thanks thank
		hello hi to of in on at for with from by about into out up if than then there here order orders ordered delivery deliver delivered shipping
		ship shipped parcel package refund return returns returned price cost costs much many invoice receipt payment pay paid card account item
		items product products store shop available stock size long get got send sent buy bought still yet just already want need like help cancel
		change address tracking number doesn't don't can't i'm it's isn't haven't hasn't won't there's what's you're any anything some arrive arrived
		week weeks day days today tomorrow free open opening hours discount code voucher gift wrong broken damaged missing where's`,
		text: `Where is my order? I ordered a pair of shoes last week and the parcel has not arrived yet. How long does delivery usually take
		to the United Kingdom? Can I return an item if it does not fit, and who pays for the return shipping? I would like to change the delivery
		address on my order before it ships. Do you offer free shipping on orders over fifty pounds? The tracking number you sent me does not
		work. I received the wrong size, what should I do now? Could you send me an invoice with my company details? When will the blue jacket
		be back in stock? Is it possible to pay with PayPal or only by card? My discount code is not accepted at checkout. The package arrived
		damaged and one of the glasses is broken. How can I cancel my subscription? Are your products tested on animals? What are your opening
		hours on weekends? I have been waiting for my refund for two weeks. Please check the status of my return. Which courier do you use for
		international deliveries? Thank you for your help, have a nice day.`,
	},
	{
		code: "it",
		words: `il lo la i gli le un uno una di del dello della dei delle degli da dal dalla in nel nella con su per tra fra e è ed o ma se che chi
		come dove quando perché perche non sì si no mi ti ci vi ne sono sei siamo hanno ho hai ha avete possibile posso può puo potete vorrei voglio
		grazie ciao buongiorno buonasera salve ordine ordinato spedizione spedito consegna consegnato pacco reso rimborso prezzo costo costa quanto
		quanti fattura ricevuta pagamento pagare carta prodotto prodotti negozio disponibile taglia ancora già arrivato arrivata arriva mio mia miei
		mie vostro vostra vostri questo questa quello quella anche solo molto sconto codice gratis gratuita settimana giorni oggi domani aperto
		orari numero tracciamento indirizzo cambiare annullare sbagliato rotto danneggiato manca qual quale quali cosa c'è fate fatture`,
		text: `Dov'è il mio ordine? Ho ordinato un paio di scarpe la settimana scorsa e il pacco non è ancora arrivato. Quanto tempo ci vuole per la
		consegna in Italia? Posso restituire un articolo se la taglia non va bene, e chi paga le spese di spedizione del reso? Vorrei cambiare
		l'indirizzo di consegna prima della spedizione. La spedizione è gratuita per ordini superiori a cinquanta euro? Il numero di tracciamento
		che mi avete inviato non funziona. Ho ricevuto la taglia sbagliata, cosa devo fare adesso? Potete inviarmi la fattura con i dati della mia
		azienda? Quando tornerà disponibile la giacca blu? È possibile pagare con PayPal o solo con la carta? Il mio codice sconto non viene
		accettato. Il pacco è arrivato danneggiato e uno dei bicchieri è rotto. Come posso annullare l'abbonamento? Quali sono gli orari di apertura
		del negozio nel fine settimana? Aspetto il rimborso da due settimane. Quale corriere usate per le spedizioni all'estero? Grazie mille per
		l'aiuto, buona giornata.`,
	},
	{
		code: "fr",
		words: `le la les l un une des du de d au aux à en dans par pour sur avec sans et ou mais si que qui quoi comment où quand pourquoi ne pas
		plus est sont être ai as a avons avez ont je j tu il elle nous vous ils elles me m te t se s mon ma mes votre vos notre nos ce cet cette ces
		oui non merci bonjour bonsoir svp s'il plaît commande commandé livraison livré colis retour remboursement prix coût coûte combien facture
		reçu paiement payer carte produit produits magasin boutique disponible taille encore déjà arrivé peux peut pouvez puis-je voudrais veux
		est-ce qu'il c'est j'ai n'est faites faire semaine jours aujourd'hui demain ouvert horaires numéro suivi adresse changer annuler mauvaise
		cassé abîmé manque quel quelle quels code promo gratuite gratuit chez y`,
		text: `Où est ma commande ? J'ai commandé une paire de chaussures la semaine dernière et le colis n'est toujours pas arrivé. Combien de temps
		prend la livraison en France ? Est-ce que je peux retourner un article si la taille ne convient pas, et qui paie les frais de retour ?
		Je voudrais modifier l'adresse de livraison avant l'expédition. La livraison est-elle gratuite à partir de cinquante euros ? Le numéro de
		suivi que vous m'avez envoyé ne fonctionne pas. J'ai reçu la mauvaise taille, que dois-je faire maintenant ? Pouvez-vous m'envoyer une
		facture au nom de ma société ? Quand la veste bleue sera-t-elle de nouveau disponible ? Est-il possible de payer avec PayPal ou seulement
		par carte bancaire ? Mon code promo n'est pas accepté. Le colis est arrivé abîmé et un des verres est cassé. Comment puis-je résilier mon
		abonnement ? Quels sont vos horaires d'ouverture le week-end ? J'attends mon remboursement depuis deux semaines. Quel transporteur
		utilisez-vous pour l'étranger ? Merci beaucoup pour votre aide, bonne journée.`,
	},
	{
		code: "de",
		words: `der die das den dem des ein eine einen einem einer und oder aber wenn dass ob wie wo wann warum was wer nicht kein keine ja nein ist
		sind bin bist war haben habe hat hatte ich du er sie es wir ihr mich mir dich dir uns euch mein meine meinen meinem ihre ihren kann können
		könnt möchte würde will soll muss bitte danke hallo guten tag bestellung bestellt lieferung geliefert versand versandt paket rücksendung
		rückgabe erstattung preis kosten kostet viel rechnung quittung zahlung bezahlen karte produkt produkte laden verfügbar größe noch schon
		angekommen zu im am vom zum zur für mit von bei nach auf aus über auch nur sehr gibt woche tage heute morgen geöffnet öffnungszeiten
		sendungsnummer adresse ändern stornieren falsche kaputt beschädigt fehlt welche welcher welches gutschein rabatt kostenlos euer
		wurde wird werden habt ihnen`,
		text: `Wo ist meine Bestellung? Ich habe letzte Woche ein Paar Schuhe bestellt und das Paket ist immer noch nicht angekommen. Wie lange dauert
		die Lieferung nach Österreich? Kann ich einen Artikel zurückschicken, wenn die Größe nicht passt, und wer zahlt den Rückversand? Ich möchte
		die Lieferadresse ändern, bevor die Bestellung verschickt wird. Ist der Versand ab fünfzig Euro kostenlos? Die Sendungsnummer, die Sie mir
		geschickt haben, funktioniert nicht. Ich habe die falsche Größe bekommen, was soll ich jetzt tun? Können Sie mir eine Rechnung mit meinen
		Firmendaten schicken? Wann ist die blaue Jacke wieder lieferbar? Kann man mit PayPal bezahlen oder nur mit Kreditkarte? Mein Gutscheincode
		wird nicht akzeptiert. Das Paket kam beschädigt an und eines der Gläser ist zerbrochen. Wie kann ich mein Abonnement kündigen? Wie sind
		Ihre Öffnungszeiten am Wochenende? Ich warte seit zwei Wochen auf meine Erstattung. Welchen Versanddienstleister nutzen Sie für das
		Ausland? Vielen Dank für Ihre Hilfe und einen schönen Tag noch.`,
	},
	{
		code: "pl",
		words: `i w z na do nie się to jest są czy jak gdzie kiedy dlaczego co kto jaki jaka jakie ile mój moja moje mnie mi ja ty on ona my wy oni
		pan pani państwo proszę dziękuję dzień dobry cześć zamówienie zamówienia zamówiłem zamówiłam dostawa dostawy wysyłka przesyłka paczka paczki
		zwrot zwrotu reklamacja cena ceny koszt kosztuje faktura faktury fakturę vat paragon płatność zapłacić karta kartą produkt produkty sklep
		dostępny dostępne rozmiar jeszcze już doszła dotarła przyszła można mogę możecie chcę chciałbym chciałabym wystawiacie macie ma mam był
		była było będzie od po przez za przy dla bez tak ale albo lub też oraz który która które moim mojego wasz wasza tydzień dni dzisiaj jutro
		otwarte godziny numer adres zmienić anulować zły uszkodzona brakuje kod rabatowy darmowa gratis jest`,
		text: `Gdzie jest moje zamówienie? W zeszłym tygodniu zamówiłam parę butów i paczka wciąż nie dotarła. Ile trwa dostawa do Polski? Czy mogę
		zwrócić produkt, jeśli rozmiar nie pasuje, i kto płaci za przesyłkę zwrotną? Chciałbym zmienić adres dostawy, zanim zamówienie zostanie
		wysłane. Czy wysyłka jest darmowa od dwustu złotych? Numer przesyłki, który od Was dostałem, nie działa. Dostałam zły rozmiar, co mam teraz
		zrobić? Czy możecie wystawić fakturę na firmę? Kiedy niebieska kurtka będzie znowu dostępna? Czy można zapłacić BLIKIEM albo tylko kartą?
		Mój kod rabatowy nie działa przy płatności. Paczka przyszła uszkodzona i jedna ze szklanek jest stłuczona. Jak mogę zrezygnować z
		subskrypcji? W jakich godzinach jest otwarty sklep w weekend? Czekam na zwrot pieniędzy od dwóch tygodni. Jakiej firmy kurierskiej
		używacie do wysyłek za granicę? Bardzo dziękuję za pomoc, miłego dnia.`,
	},
	{
		code: "es",
		words: `el la los las lo un una unos unas de del al a en con por para sin sobre y e o u pero si que qué quien cómo como dónde donde cuándo
		cuando porque no sí es son está están estoy soy ser estar he has ha hemos han tengo tiene tienen tenéis puedo puede pueden podéis quiero
		quisiera necesito gracias hola buenos días favor pedido pedidos envío enviado entrega paquete devolución reembolso precio coste cuesta cuánto
		cuántos factura recibo pago pagar tarjeta producto productos tienda disponible talla todavía ya llegado llega mi mis tu tus su sus vuestro
		vuestra este esta ese esa también muy hacéis hacen hace semana hoy mañana abierto horario número seguimiento dirección cambiar cancelar
		equivocada roto dañado falta cuál cuáles código descuento gratis gratuito os me`,
		text: `¿Dónde está mi pedido? La semana pasada pedí un par de zapatos y el paquete todavía no ha llegado. ¿Cuánto tarda el envío a España?
		¿Puedo devolver un artículo si la talla no me queda bien, y quién paga los gastos de devolución? Me gustaría cambiar la dirección de
		entrega antes de que se envíe el pedido. ¿El envío es gratuito a partir de cincuenta euros? El número de seguimiento que me enviasteis no
		funciona. He recibido la talla equivocada, ¿qué tengo que hacer ahora? ¿Me podéis enviar una factura con los datos de mi empresa? ¿Cuándo
		volverá a estar disponible la chaqueta azul? ¿Se puede pagar con PayPal o solo con tarjeta? Mi código de descuento no funciona al pagar.
		El paquete llegó dañado y uno de los vasos está roto. ¿Cómo puedo darme de baja de la suscripción? ¿Cuál es vuestro horario de apertura
		los fines de semana? Llevo dos semanas esperando el reembolso. ¿Qué empresa de mensajería usáis para los envíos al extranjero? Muchas
		gracias por vuestra ayuda, que tengáis un buen día.`,
	},
	{
		code:  "pt",
		prior: -1,
		words: `o a os as um uma de do da dos das em no na nos nas com por para e ou mas se que como onde quando não sim é são está estão eu você ele
		ela nós eles meu minha obrigado obrigada olá bom dia encomenda entrega envio pacote devolução reembolso preço custa quanto fatura pagamento
		cartão produto loja disponível tamanho ainda já chegou posso pode vocês fazem também muito pedido`,
		text: `Onde está a minha encomenda? Encomendei um par de sapatos na semana passada e o pacote ainda não chegou. Quanto tempo demora a entrega
		em Portugal? Posso devolver um artigo se o tamanho não servir, e quem paga os portes de devolução? Gostaria de alterar a morada de entrega.
		O envio é grátis a partir de cinquenta euros? O número de seguimento não funciona. Recebi o tamanho errado, o que devo fazer agora? Podem
		enviar-me uma fatura com os dados da minha empresa? É possível pagar com cartão? Muito obrigado pela ajuda.`,
	},
	{
		code:  "nl",
		prior: -1,
		words: `de het een en of maar als dat wat wie waar wanneer waarom hoe niet geen ja nee is zijn ben was heb heeft hebben ik je jij u hij zij
		wij we jullie mijn uw ons onze dit deze die bedankt dank hallo bestelling besteld levering verzending pakket retour terugbetaling prijs kost
		kosten hoeveel factuur betaling betalen kaart product winkel beschikbaar maat nog al aangekomen kan kunnen wil graag ook zeer met van voor
		naar op in bij uit`,
		text: `Waar is mijn bestelling? Ik heb vorige week een paar schoenen besteld en het pakket is nog steeds niet aangekomen. Hoe lang duurt de
		levering naar België? Kan ik een artikel terugsturen als de maat niet past, en wie betaalt de retourkosten? Ik wil graag het afleveradres
		wijzigen. Is de verzending gratis vanaf vijftig euro? De trackingcode werkt niet. Ik heb de verkeerde maat ontvangen, wat moet ik nu doen?
		Kunnen jullie mij een factuur sturen met mijn bedrijfsgegevens? Kan ik met iDEAL betalen? Hartelijk dank voor uw hulp.`,
	},
}
