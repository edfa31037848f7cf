package guard

import (
	"regexp"
	"strings"
	"unicode"
)

// InjectionPlaceholder replaces a line of source text that reads like an
// instruction to the model.
const InjectionPlaceholder = "[instruction-like text removed]"

var (
	// specialTokenRe matches chat-template control tokens of common models.
	specialTokenRe = regexp.MustCompile(`(?i)<\|[a-z0-9_ .\-]{1,40}\|>|\[/?INST\]|<</?SYS>>|<s>|</s>`)
	// fenceTagRe matches tags that could open or close the fences a prompt
	// puts around sources, or pose as a conversation role.
	fenceTagRe = regexp.MustCompile(`(?i)<\s*/?\s*(?:sources?|system|user|assistant|developer|instructions?|prompt|context|documents?|question)\b[^<>]{0,200}>`)
	// roleMarkerRe matches a line that starts like a chat transcript turn.
	roleMarkerRe = regexp.MustCompile(`(?i)^[\s>*#\-]*(?:system|assistant|user|developer|human|ai|bot)(?:\s+(?:prompt|message|instructions?))?\s*\**\s*:\s*`)
	// injectionRes match instruction-like phrases in folded (lower-case,
	// no diacritics) text, in the six languages.
	injectionRes = []*regexp.Regexp{
		// verb + up to four words + "instructions": ignore/disregard/forget/override...
		regexp.MustCompile(`\b(?:ignor\w*|disregard\w*|forget|override|bypass|dimentica\w*|oubli\w*|vergiss\w*|zignoruj\w*|zapomnij|pomin|olvid\w*|omit\w*)\b(?:\s+\S+){0,4}?\s+(?:instructions?|prompts?|rules|guidelines|directions|istruzion\w*|indicazion\w*|regole|consignes?|regles|anweisung\w*|instruktion\w*|regeln|instrukcj\w*|polecen\w*|zasad\w*|instrucc\w*|indicacion\w*|reglas|system)\b`),
		regexp.MustCompile(`\b(?:you are now|you will now|you must now|from now on,? you|act as (?:an?|the) (?:ai|assistant|chatbot|bot|dan|different)|pretend (?:to be|you are)|jailbreak|developer mode|do anything now)\b`),
		regexp.MustCompile(`\b(?:(?:reveal|print|show|repeat|output)\s+(?:\S+\s+){0,2}?(?:system prompt|prompt|instructions))\b`),
		regexp.MustCompile(`\b(?:new|updated|real|actual) (?:system )?instructions?\s*:`),
		regexp.MustCompile(`\b(?:(?:da|d')\s?ora in poi (?:sei|devi|tu)|ora sei|tu es maintenant|vous etes maintenant|a partir de maintenant,? (?:tu|vous)|du bist (?:jetzt|ab sofort|nun)|ab sofort bist du|od teraz (?:jestes|musisz)|teraz jestes|ahora eres|a partir de ahora,? (?:eres|debes))\b`),
	}
)

// Neutralize prepares untrusted source text (a crawled page, a product
// description, a merchant's FAQ) for a prompt, where it must be read as data
// and never as instructions. It drops invisible characters that hide text,
// removes chat-template control tokens, defuses tags that could close the
// prompt's <source> fence or pose as a role (their angle brackets become
// ‹ ›), strips role markers such as "system:" at line starts and replaces
// lines that read like instructions to the model ("ignore previous
// instructions", in the six languages) with InjectionPlaceholder.
// Ordinary text passes through unchanged.
func Neutralize(source string) string {
	source = stripInvisible(source)
	if strings.ContainsAny(source, "<[") {
		for specialTokenRe.MatchString(source) { // removing one may join another: "<|a<|b|>|>"
			source = specialTokenRe.ReplaceAllString(source, "")
		}
		source = fenceTagRe.ReplaceAllStringFunc(source, func(tag string) string {
			return "‹" + strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">") + "›"
		})
	}
	lines := strings.Split(source, "\n")
	for i, line := range lines {
		for roleMarkerRe.MatchString(line) { // "system: user: ..." nests
			line = roleMarkerRe.ReplaceAllString(line, "")
		}
		if injectionLine(line) {
			line = InjectionPlaceholder
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// LooksLikeInjection reports whether text contains something Neutralize
// would defuse beyond invisible characters: a control token, a fence or
// role tag, a role marker at a line start or an instruction-like phrase.
// It is meant for logging and metrics; Neutralize is the defence.
func LooksLikeInjection(text string) bool {
	text = stripInvisible(text)
	if specialTokenRe.MatchString(text) || fenceTagRe.MatchString(text) {
		return true
	}
	for line := range strings.SplitSeq(text, "\n") {
		if roleMarkerRe.MatchString(line) || injectionLine(line) {
			return true
		}
	}
	return false
}

// injectionTriggers are substrings (folded) of which every match of
// injectionRes contains at least one: a cheap test before the regexps.
var injectionTriggers = []string{
	"ignor", "disregard", "forget", "override", "bypass", "dimentic", "oubli", "vergiss", "zignoruj", "zapomnij",
	"pomin", "olvid", "omit", "you are now", "you will now", "you must now", "from now on", "act as", "pretend",
	"jailbreak", "developer mode", "do anything now", "reveal", "print", "show", "repeat", "output", "instruction",
	"ora in poi", "ora sei", "maintenant", "du bist", "bist du", "od teraz", "teraz jestes", "ahora eres", "a partir de ahora",
}

func injectionLine(line string) bool {
	f := fold(line)
	triggered := false
	for _, t := range injectionTriggers {
		if strings.Contains(f, t) {
			triggered = true
			break
		}
	}
	if !triggered {
		return false
	}
	for _, re := range injectionRes {
		if re.MatchString(f) {
			return true
		}
	}
	return false
}

// stripInvisible removes zero-width characters, bidirectional controls and
// other format or control characters (but not newlines and tabs), which can
// hide instructions from a human reviewer while a model still reads them.
func stripInvisible(s string) string {
	clean := true
	for _, r := range s {
		if invisible(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

func invisible(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	if r == '\r' {
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r)
}
