"""One-time submission keys: a form that creates something is recorded once, however often
it is sent (double click, retry, the back button and send again)."""
