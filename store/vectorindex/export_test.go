package vectorindex

// Abandon closes the Store's files without folding the journals into
// snapshots, leaving the directory as a killed process would.
func (s *Store) Abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, p := range s.parts {
		p.writeMu.Lock()
		p.closed = true
		if p.journal != nil {
			p.journal.Close()
			p.journal = nil
		}
		p.writeMu.Unlock()
	}
	if s.lock != nil {
		s.lock.Close()
	}
}
