"""What the tests share, imported from here and nowhere else:

- factories: users of every role, postings as the public sees them, and the real login
  (password + second factor) behind the `auth` fixture;
- browser: the live server, Debian's chromium, a person in their own browser context,
  axe-core and screenshots for the browser stories;
- mail, figures: the mail files the app writes; the figures the security tests count;
- races: gunicorn with 4 workers, people's sessions and bursts of one request at one instant
  for the race probes;
- one module per domain for the data its tests build: postings, posting_data, matching,
  matcher_strategies, professionals, joint, subsidies, subsidy_cases, outbox,
  fake_sendgrid, subscriptions, cell_cases, security_world.
"""
