"""The demo world never reaches a production database."""


def test_production_refuses_demo_data(app):
    runner = app.test_cli_runner()
    app.config["IS_PRODUCTION"] = True
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code == 1 and "refused" in result.output
