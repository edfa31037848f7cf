package guard

import "github.com/ragkb/ragkb/internal/textnorm"

// isStopword reports whether the grounding check ignores word (folded): a
// function word or support boilerplate ("feel free to contact us") of the
// six languages, which says nothing the sources must back
// (textnorm.IsGroundingStopword).
func isStopword(word string) bool { return textnorm.IsGroundingStopword(word) }
