"""The coaching worker: answers a session's messages in order, streaming the reply."""
