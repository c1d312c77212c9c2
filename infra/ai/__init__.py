"""LLM adapters: the Gemini client that refines the offline analysis, its prompt and the
circuit breaker that stops calling it while it keeps failing."""
