import pytest

from rightsledger.simulate import ScenarioConfig, simulate


@pytest.fixture(scope="session")
def scenario():
    return simulate(ScenarioConfig(), seed=7)
