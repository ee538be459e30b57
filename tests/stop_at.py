"""A trainer callback that asks for a stop after step ``n``, as Ctrl-C does."""


class StopAt:
    def __init__(self, n):
        self.n = n

    def on_step(self, trainer, it, loss):
        if it == self.n:
            trainer.request_stop()
