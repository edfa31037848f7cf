package answer

// Customer-facing texts of order answers, in the supported languages.

var msgNeedBoth = map[string]string{
	"en": "I can check your order. Please send the order number and the e-mail address used for the order.",
	"pl": "Mogę sprawdzić Twoje zamówienie. Podaj numer zamówienia i adres e-mail użyty przy zamówieniu.",
	"de": "Ich kann Ihre Bestellung prüfen. Bitte nennen Sie die Bestellnummer und die bei der Bestellung verwendete E-Mail-Adresse.",
	"it": "Posso controllare il tuo ordine. Inviami il numero d'ordine e l'indirizzo e-mail usato per l'ordine.",
	"fr": "Je peux vérifier votre commande. Envoyez-moi le numéro de commande et l'adresse e-mail utilisée pour la commande.",
	"es": "Puedo comprobar tu pedido. Envíame el número de pedido y el correo electrónico usado en el pedido.",
}

var msgNeedNumber = map[string]string{
	"en": "Please send your order number so that I can check it.",
	"pl": "Podaj numer zamówienia, a sprawdzę jego status.",
	"de": "Bitte nennen Sie Ihre Bestellnummer, damit ich sie prüfen kann.",
	"it": "Inviami il numero d'ordine e lo controllo.",
	"fr": "Envoyez-moi votre numéro de commande et je la vérifie.",
	"es": "Envíame tu número de pedido y lo compruebo.",
}

var msgNeedEmail = map[string]string{
	"en": "To protect your order, please confirm the e-mail address (or phone number or postcode) used for it.",
	"pl": "Dla bezpieczeństwa podaj adres e-mail (albo numer telefonu lub kod pocztowy) użyty przy zamówieniu.",
	"de": "Zum Schutz Ihrer Bestellung bestätigen Sie bitte die dabei verwendete E-Mail-Adresse (oder Telefonnummer oder Postleitzahl).",
	"it": "Per proteggere il tuo ordine, conferma l'indirizzo e-mail (o il numero di telefono o il CAP) usato per l'ordine.",
	"fr": "Pour protéger votre commande, confirmez l'adresse e-mail (ou le numéro de téléphone ou le code postal) utilisée pour celle-ci.",
	"es": "Para proteger tu pedido, confirma el correo electrónico (o el teléfono o el código postal) usado en él.",
}

// msgNotFound is the one answer for a missing order and for details that do
// not match: it must not tell the two apart.
var msgNotFound = map[string]string{
	"en": "I couldn't find an order with these details. Please check the order number and the e-mail address used for the order.",
	"pl": "Nie znalazłem zamówienia o tych danych. Sprawdź numer zamówienia i adres e-mail użyty przy zamówieniu.",
	"de": "Ich konnte keine Bestellung mit diesen Angaben finden. Bitte prüfen Sie die Bestellnummer und die bei der Bestellung verwendete E-Mail-Adresse.",
	"it": "Non ho trovato un ordine con questi dati. Controlla il numero d'ordine e l'indirizzo e-mail usato per l'ordine.",
	"fr": "Je n'ai pas trouvé de commande avec ces informations. Vérifiez le numéro de commande et l'adresse e-mail utilisée pour la commande.",
	"es": "No he encontrado ningún pedido con estos datos. Comprueba el número de pedido y el correo electrónico usado en el pedido.",
}

// orderTemplates are the default approved answers per order status and
// language; merchants override them with orders.templates. A sentence
// (ending ". ") or line whose placeholder is empty is left out.
var orderTemplates = map[string]map[string]string{
	"pending": {
		"en": "Your order {order} is waiting for payment. It will be prepared as soon as the payment arrives.",
		"pl": "Zamówienie {order} czeka na płatność. Przygotujemy je, gdy tylko płatność dotrze.",
		"de": "Ihre Bestellung {order} wartet auf die Zahlung. Sie wird vorbereitet, sobald die Zahlung eingeht.",
		"it": "Il tuo ordine {order} è in attesa di pagamento. Lo prepareremo appena arriva il pagamento.",
		"fr": "Votre commande {order} est en attente de paiement. Elle sera préparée dès réception du paiement.",
		"es": "Tu pedido {order} está pendiente de pago. Lo prepararemos en cuanto llegue el pago.",
	},
	"paid": {
		"en": "Your order {order} is paid and will be prepared for shipping soon.",
		"pl": "Zamówienie {order} jest opłacone i wkrótce przygotujemy je do wysyłki.",
		"de": "Ihre Bestellung {order} ist bezahlt und wird bald für den Versand vorbereitet.",
		"it": "Il tuo ordine {order} è pagato e sarà presto preparato per la spedizione.",
		"fr": "Votre commande {order} est payée et sera bientôt préparée pour l'expédition.",
		"es": "Tu pedido {order} está pagado y pronto lo prepararemos para el envío.",
	},
	"processing": {
		"en": "Your order {order} is being packed. You will get the tracking link as soon as it ships.",
		"pl": "Zamówienie {order} jest kompletowane. Link do śledzenia dostaniesz, gdy tylko zostanie wysłane.",
		"de": "Ihre Bestellung {order} wird gerade verpackt. Den Tracking-Link erhalten Sie, sobald sie versendet ist.",
		"it": "Il tuo ordine {order} è in preparazione. Riceverai il link di tracciamento appena sarà spedito.",
		"fr": "Votre commande {order} est en cours de préparation. Vous recevrez le lien de suivi dès son expédition.",
		"es": "Tu pedido {order} se está preparando. Recibirás el enlace de seguimiento en cuanto se envíe.",
	},
	"shipped": {
		"en": "Your order {order} has been shipped. Carrier: {carrier}. Tracking number: {tracking_number}. Expected delivery: {estimated_delivery}.\nTrack it here: {tracking_url}",
		"pl": "Zamówienie {order} zostało wysłane. Przewoźnik: {carrier}. Numer przesyłki: {tracking_number}. Przewidywana dostawa: {estimated_delivery}.\nŚledzenie: {tracking_url}",
		"de": "Ihre Bestellung {order} wurde versendet. Versanddienst: {carrier}. Sendungsnummer: {tracking_number}. Voraussichtliche Zustellung: {estimated_delivery}.\nSendungsverfolgung: {tracking_url}",
		"it": "Il tuo ordine {order} è stato spedito. Corriere: {carrier}. Numero di tracciamento: {tracking_number}. Consegna prevista: {estimated_delivery}.\nSeguilo qui: {tracking_url}",
		"fr": "Votre commande {order} a été expédiée. Transporteur : {carrier}. Numéro de suivi : {tracking_number}. Livraison prévue : {estimated_delivery}.\nSuivez-la ici : {tracking_url}",
		"es": "Tu pedido {order} se ha enviado. Transportista: {carrier}. Número de seguimiento: {tracking_number}. Entrega prevista: {estimated_delivery}.\nSíguelo aquí: {tracking_url}",
	},
	"delivered": {
		"en": "Your order {order} has been delivered. If anything is wrong with it, just tell us.",
		"pl": "Zamówienie {order} zostało dostarczone. Jeśli coś jest nie tak, daj nam znać.",
		"de": "Ihre Bestellung {order} wurde zugestellt. Wenn etwas nicht stimmt, sagen Sie uns Bescheid.",
		"it": "Il tuo ordine {order} è stato consegnato. Se qualcosa non va, faccelo sapere.",
		"fr": "Votre commande {order} a été livrée. Si quelque chose ne va pas, dites-le-nous.",
		"es": "Tu pedido {order} ha sido entregado. Si algo no está bien, dínoslo.",
	},
	"cancelled": {
		"en": "Your order {order} has been cancelled.",
		"pl": "Zamówienie {order} zostało anulowane.",
		"de": "Ihre Bestellung {order} wurde storniert.",
		"it": "Il tuo ordine {order} è stato annullato.",
		"fr": "Votre commande {order} a été annulée.",
		"es": "Tu pedido {order} ha sido cancelado.",
	},
	"refunded": {
		"en": "Your order {order} has been refunded.",
		"pl": "Za zamówienie {order} zwróciliśmy pieniądze.",
		"de": "Ihre Bestellung {order} wurde erstattet.",
		"it": "Il tuo ordine {order} è stato rimborsato.",
		"fr": "Votre commande {order} a été remboursée.",
		"es": "Tu pedido {order} ha sido reembolsado.",
	},
}
