import os

from talentmatch.app import create_app

app = create_app()

if os.environ.get("TALENTMATCH_WARM_INDEXES") == "1":
    # gunicorn --preload imports this module once, in the master: the match indexes built
    # here are shared by every worker it forks (deploy/systemd/talentmatch-web.service).
    from talentmatch.matching.indexes import warm

    warm(app)
