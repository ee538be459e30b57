"""Layers, initial weights and the multi-layer network, on NumPy."""

from trainlab.nn.gradcheck import numerical_gradient, relative_error
from trainlab.nn.init import init_weight, weight_std
from trainlab.nn.layers import (
    ACTIVATIONS,
    Affine,
    BatchNormalization,
    Dropout,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
    log_softmax,
    softmax,
)
from trainlab.nn.losses import MeanSquaredError, mean_squared_error, r2_score
from trainlab.nn.net import MultiLayerNet

__all__ = [
    "Affine",
    "Relu",
    "Sigmoid",
    "Tanh",
    "SoftmaxWithLoss",
    "BatchNormalization",
    "Dropout",
    "ACTIVATIONS",
    "softmax",
    "log_softmax",
    "init_weight",
    "weight_std",
    "MultiLayerNet",
    "MeanSquaredError",
    "mean_squared_error",
    "r2_score",
    "numerical_gradient",
    "relative_error",
]
