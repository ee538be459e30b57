"""The engine that runs training: the Trainer, its techniques, checkpoints and doctor."""

from trainlab.train.callbacks import EarlyStopping
from trainlab.train.config import Data, TrainConfig
from trainlab.train.curriculum import Curriculum, difficulty_scores
from trainlab.train.doctor import Verdict, diagnose
from trainlab.train.stopping import TrainingInterrupted
from trainlab.train.trainer import Trainer

__all__ = [
    "Trainer",
    "Data",
    "TrainConfig",
    "TrainingInterrupted",
    "EarlyStopping",
    "Curriculum",
    "difficulty_scores",
    "Verdict",
    "diagnose",
]
