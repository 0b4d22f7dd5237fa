"""The lifecycle's main path as the demo walks it: stages, phases and how long accounts stay."""

from __future__ import annotations

from store.lifecycle import CHURNED, LifecycleModel, Phase


class StagePlan:
    """Stage keys and phases of the main path, where customers start, and typical stays."""

    def __init__(self, lifecycle: LifecycleModel) -> None:
        path = lifecycle.main_path
        self.path = [stage.key for stage in path]
        self.phases = [stage.phase for stage in path]
        self.customer_from = self.path.index(lifecycle.customer_from)
        """Index of the first stage of paying customers."""
        self.onboarding = next(
            (
                index
                for index in range(self.customer_from, len(path))
                if path[index].phase is Phase.ENGAGEMENT
            ),
            self.customer_from,
        )
        """Index of the stage customers onboard in (the first engagement stage)."""
        self.churned = CHURNED if CHURNED in lifecycle.keys else None
        self.stay_days: list[float] = []
        """Typical days in each stage before moving on."""
        self.advance: list[tuple[float, float]] = []
        """(base, per unit of health) chance of moving on from each stage when time allows."""
        for index, phase in enumerate(self.phases):
            following = self.phases[index + 1] if index + 1 < len(path) else None
            if index < self.customer_from:
                self.stay_days.append(12)
                self.advance.append((0.6, 0.0))
            elif index < self.onboarding:
                self.stay_days.append(7)
                self.advance.append((0.97, 0.0))
            elif index == self.onboarding:
                self.stay_days.append(30)
                self.advance.append((0.8, 0.2))
            elif phase is not Phase.RETENTION:
                self.stay_days.append(60)
                self.advance.append((0.75, 0.2))
            else:
                self.stay_days.append(150)
                self.advance.append((0.15, 0.5) if following is Phase.RETENTION else (0.8, 0.1))

    def key(self, index: int) -> str | None:
        """The stage key for a main-path index, or the churned key for -1."""
        return self.path[index] if index >= 0 else self.churned
