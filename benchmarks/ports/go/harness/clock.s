// Empty: its presence lets clock.go declare functions without bodies (their
// bodies are the runtime's, through go:linkname).
