"""The notes' own chapter-6 scripts, as *Deep Learning from Scratch* writes them,
for the experiment benchmark: ``python notes_experiments.py NAME DATA_DIR``.

``optimizer_compare_mnist.py``, ``weight_init_compare.py``,
``batch_norm_test.py``, ``overfit_weight_decay.py``, ``overfit_dropout.py``
and ``hyperparameter_optimization.py`` on the same files trainlab trains on,
and the two that only draw (``weight_init_activation_histogram.py``,
``optimizer_compare_naive.py``), each with its figures (saved where the book
shows them), with the book's ``common/`` classes
(``notes_reference.py`` plus the optimizers, ``BatchNormalization``,
``Dropout`` and ``MultiLayerNetExtend`` below). Changes: an explicit
``numpy.random.Generator`` instead of the global ``np.random``, ``savefig``
into a scratch folder instead of ``plt.show()``, and no printing. Prints the seconds
the script took, data loading included.
``DATA_DIR`` may be ``digits`` for the embedded set.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
from notes_reference import Adam, Affine, MultiLayerNet, Relu, SoftmaxWithLoss


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Dropout:
    def __init__(self, rng, dropout_ratio=0.5):
        self.rng, self.dropout_ratio, self.mask = rng, dropout_ratio, None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9):
        self.gamma, self.beta, self.momentum = gamma, beta, momentum
        self.input_shape = None
        self.running_mean = self.running_var = None
        self.batch_size = self.xc = self.std = self.dgamma = self.dbeta = None

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        if x.ndim != 2:
            x = x.reshape(x.shape[0], -1)
        return self.__forward(x, train_flg).reshape(*self.input_shape)

    def __forward(self, x, train_flg):
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc**2, axis=0)
            std = np.sqrt(var + 10e-7)
            xn = xc / std
            self.batch_size, self.xc, self.xn, self.std = x.shape[0], xc, xn, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xc = x - self.running_mean
            xn = xc / (np.sqrt(self.running_var + 10e-7))
        return self.gamma * xn + self.beta

    def backward(self, dout):
        if dout.ndim != 2:
            dout = dout.reshape(dout.shape[0], -1)
        dbeta = dout.sum(axis=0)
        dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        dx = dxc - dmu / self.batch_size
        self.dgamma, self.dbeta = dgamma, dbeta
        return dx.reshape(*self.input_shape)


def _scale(weight_init_std, n):
    if str(weight_init_std).lower() in ("relu", "he"):
        return np.sqrt(2.0 / n)
    if str(weight_init_std).lower() in ("sigmoid", "xavier"):
        return np.sqrt(1.0 / n)
    return weight_init_std


class MultiLayerNetExtend:
    """The book's ``common/multi_layer_net_extend.py`` (ReLU)."""

    def __init__(
        self,
        input_size,
        hidden_size_list,
        output_size,
        rng,
        weight_init_std="relu",
        weight_decay_lambda=0,
        use_dropout=False,
        dropout_ration=0.5,
        use_batchnorm=False,
    ):
        self.hidden_layer_num = len(hidden_size_list)
        self.use_dropout, self.use_batchnorm = use_dropout, use_batchnorm
        self.weight_decay_lambda = weight_decay_lambda
        self.params = {}
        sizes = [input_size] + hidden_size_list + [output_size]
        for idx in range(1, len(sizes)):
            self.params["W" + str(idx)] = _scale(
                weight_init_std, sizes[idx - 1]
            ) * rng.standard_normal((sizes[idx - 1], sizes[idx]))
            self.params["b" + str(idx)] = np.zeros(sizes[idx])
        self.layers = OrderedDict()
        for idx in range(1, self.hidden_layer_num + 1):
            self.layers["Affine" + str(idx)] = Affine(
                self.params["W" + str(idx)], self.params["b" + str(idx)]
            )
            if self.use_batchnorm:
                self.params["gamma" + str(idx)] = np.ones(hidden_size_list[idx - 1])
                self.params["beta" + str(idx)] = np.zeros(hidden_size_list[idx - 1])
                self.layers["BatchNorm" + str(idx)] = BatchNormalization(
                    self.params["gamma" + str(idx)], self.params["beta" + str(idx)]
                )
            self.layers["Activation_function" + str(idx)] = Relu()
            if self.use_dropout:
                self.layers["Dropout" + str(idx)] = Dropout(rng, dropout_ration)
        idx = self.hidden_layer_num + 1
        self.layers["Affine" + str(idx)] = Affine(
            self.params["W" + str(idx)], self.params["b" + str(idx)]
        )
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        for key, layer in self.layers.items():
            if "Dropout" in key or "BatchNorm" in key:
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def loss(self, x, t, train_flg=False):
        y = self.predict(x, train_flg)
        weight_decay = 0
        for idx in range(1, self.hidden_layer_num + 2):
            W = self.params["W" + str(idx)]
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(W**2)
        return self.last_layer.forward(y, t) + weight_decay

    def accuracy(self, X, T):
        Y = np.argmax(self.predict(X, train_flg=False), axis=1)
        if T.ndim != 1:
            T = np.argmax(T, axis=1)
        return np.sum(Y == T) / float(X.shape[0])

    def gradient(self, x, t):
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads = {}
        for idx in range(1, self.hidden_layer_num + 2):
            grads["W" + str(idx)] = (
                self.layers["Affine" + str(idx)].dW
                + self.weight_decay_lambda * self.params["W" + str(idx)]
            )
            grads["b" + str(idx)] = self.layers["Affine" + str(idx)].db
            if self.use_batchnorm and idx != self.hidden_layer_num + 1:
                grads["gamma" + str(idx)] = self.layers["BatchNorm" + str(idx)].dgamma
                grads["beta" + str(idx)] = self.layers["BatchNorm" + str(idx)].dbeta
        return grads


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def smooth_curve(x):
    """The book's ``common/util.py`` smoothing of a loss curve (Kaiser window)."""
    window_len = 11
    s = np.r_[x[window_len - 1 : 0 : -1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5 : len(y) - 5]


def _compare(x_train, t_train, networks, optimizers, rng, iterations=2000, batch_size=128):
    """The loop of ``optimizer_compare_mnist.py`` and ``weight_init_compare.py``."""
    losses = {key: [] for key in networks}
    for _ in range(iterations):
        batch_mask = rng.choice(x_train.shape[0], batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        for key in networks:
            grads = networks[key].gradient(x_batch, t_batch)
            optimizers[key].update(networks[key].params, grads)
            losses[key].append(networks[key].loss(x_batch, t_batch))
    return losses


def _loss_figure(losses, markers, ylim, path):
    """The figure of both scripts: smoothed loss per iteration, one line per net."""
    plt = _plt()
    plt.figure()
    x = np.arange(len(next(iter(losses.values()))))
    for key in losses:
        plt.plot(x, smooth_curve(losses[key]), marker=markers[key], markevery=100, label=key)
    plt.xlabel("iterations")
    plt.ylabel("loss")
    plt.ylim(0, ylim)
    plt.legend()
    plt.savefig(path)
    plt.close()


def optimizer_compare(data, rng, out):
    (x_train, t_train), _ = data
    optimizers = {"SGD": SGD(), "Momentum": Momentum(), "AdaGrad": AdaGrad(), "Adam": Adam()}
    networks = {key: MultiLayerNet(x_train.shape[1], [100] * 4, 10, rng) for key in optimizers}
    losses = _compare(x_train, t_train, networks, optimizers, rng)
    _loss_figure(
        losses,
        {"SGD": "o", "Momentum": "x", "AdaGrad": "s", "Adam": "D"},
        1,
        Path(out) / "optimizer_compare_mnist.png",
    )


def init_compare(data, rng, out):
    (x_train, t_train), _ = data
    types = {"std=0.01": 0.01, "Xavier": "sigmoid", "He": "relu"}
    networks = {
        key: MultiLayerNetExtend(x_train.shape[1], [100] * 4, 10, rng, weight_init_std=w)
        for key, w in types.items()
    }
    losses = _compare(x_train, t_train, networks, {key: SGD(0.01) for key in types}, rng)
    _loss_figure(
        losses,
        {"std=0.01": "o", "Xavier": "s", "He": "D"},
        2.5,
        Path(out) / "weight_init_compare.png",
    )


def batchnorm(data, rng, out):
    plt = _plt()
    (x_train, t_train), _ = data
    x_train, t_train = x_train[:1000], t_train[:1000]
    max_epochs, train_size, batch_size = 20, 1000, 100
    iter_per_epoch = max(train_size / batch_size, 1)
    plt.figure()
    for k, w in enumerate(np.logspace(0, -4, num=16)):
        nets = [
            MultiLayerNetExtend(
                x_train.shape[1], [100] * 5, 10, rng, weight_init_std=w, use_batchnorm=bn
            )
            for bn in (True, False)
        ]
        opt = SGD(0.01)
        accs, epoch_cnt = [], 0
        with np.errstate(all="ignore"):
            for i in range(1000000000):
                batch_mask = rng.choice(train_size, batch_size)
                x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
                for net in nets:
                    grads = net.gradient(x_batch, t_batch)
                    opt.update(net.params, grads)
                if i % iter_per_epoch == 0:
                    accs.append([net.accuracy(x_train, t_train) for net in nets])
                    epoch_cnt += 1
                    if epoch_cnt >= max_epochs:
                        break
        bn_acc, acc = np.array(accs).T
        x = np.arange(max_epochs)
        plt.subplot(4, 4, k + 1)
        plt.title("W:" + str(w))
        if k == 15:
            plt.plot(x, bn_acc, label="Batch Normalization", markevery=2)
            plt.plot(x, acc, linestyle="--", label="Normal(without BatchNorm)", markevery=2)
        else:
            plt.plot(x, bn_acc, markevery=2)
            plt.plot(x, acc, linestyle="--", markevery=2)
        plt.ylim(0, 1.0)
        if k % 4:
            plt.yticks([])
        else:
            plt.ylabel("accuracy")
        if k < 12:
            plt.xticks([])
        else:
            plt.xlabel("epochs")
        plt.legend(loc="lower right")
    plt.savefig(Path(out) / "batch_norm_test.png")
    plt.close()


def _train_epochs(net, opt, x_train, t_train, x_test, t_test, rng, epochs, loss_each_step):
    """The loop of ``overfit_weight_decay.py`` (and of the book's ``Trainer``, with
    ``loss_each_step``): accuracy on the whole training and test sets every epoch."""
    train_size, batch_size = x_train.shape[0], 100
    iter_per_epoch = max(train_size / batch_size, 1)
    max_iter = int(epochs * iter_per_epoch)
    train_acc, test_acc = [], []
    for i in range(max_iter if loss_each_step else 1000000000):
        batch_mask = rng.choice(train_size, batch_size)
        grads = net.gradient(x_train[batch_mask], t_train[batch_mask])
        opt.update(net.params, grads)
        if loss_each_step:
            net.loss(x_train[batch_mask], t_train[batch_mask])
        if i % iter_per_epoch == 0:
            train_acc.append(net.accuracy(x_train, t_train))
            test_acc.append(net.accuracy(x_test, t_test))
            if not loss_each_step and len(train_acc) >= epochs:
                break
    return train_acc, test_acc


def _accuracy_figure(train_acc, test_acc, path):
    """The figure of both overfitting scripts: train and test accuracy per epoch."""
    plt = _plt()
    plt.figure()
    x = np.arange(len(train_acc))
    plt.plot(x, train_acc, marker="o", label="train", markevery=10)
    plt.plot(x, test_acc, marker="s", label="test", markevery=10)
    plt.xlabel("epochs")
    plt.ylabel("accuracy")
    plt.ylim(0, 1.0)
    plt.legend(loc="lower right")
    plt.savefig(path)
    plt.close()


def overfit(data, rng, out):
    (x_train, t_train), (x_test, t_test) = data
    x_train, t_train = x_train[:300], t_train[:300]
    wd = MultiLayerNetExtend(x_train.shape[1], [100] * 6, 10, rng, weight_decay_lambda=0.1)
    _accuracy_figure(
        *_train_epochs(wd, SGD(0.01), x_train, t_train, x_test, t_test, rng, 201, False),
        Path(out) / "overfit_weight_decay.png",
    )
    dropout = MultiLayerNetExtend(
        x_train.shape[1], [100] * 6, 10, rng, use_dropout=True, dropout_ration=0.2
    )
    _accuracy_figure(
        *_train_epochs(dropout, SGD(0.01), x_train, t_train, x_test, t_test, rng, 301, True),
        Path(out) / "overfit_dropout.png",
    )


def hyperparameter(data, rng, out, trials=100):
    """``hyperparameter_optimization.py``: 100 random (lr, weight decay) trials, each
    a 6×100 net trained 50 epochs by the book's ``Trainer`` on 400 samples, judged
    on 100 held out; the 20 best drawn."""
    plt = _plt()
    (x_train, t_train), _ = data
    order = rng.permutation(500)  # the book's shuffle_dataset of the first 500
    x_train, t_train = x_train[:500][order], t_train[:500][order]
    x_val, t_val, x_train, t_train = x_train[:100], t_train[:100], x_train[100:], t_train[100:]
    results_val, results_train = {}, {}
    for _ in range(trials):
        weight_decay = 10 ** rng.uniform(-8, -4)
        lr = 10 ** rng.uniform(-6, -2)
        net = MultiLayerNetExtend(
            x_train.shape[1], [100] * 6, 10, rng, weight_decay_lambda=weight_decay
        )  # = the book's MultiLayerNet
        train_acc, val_acc = _train_epochs(
            net, SGD(lr), x_train, t_train, x_val, t_val, rng, 50, True
        )
        key = "lr:" + str(lr) + ", weight decay:" + str(weight_decay)
        results_val[key], results_train[key] = val_acc, train_acc
    graph_draw_num, col_num = 20, 5
    row_num = int(np.ceil(graph_draw_num / col_num))
    plt.figure()
    best = sorted(results_val.items(), key=lambda x: x[1][-1], reverse=True)[:graph_draw_num]
    for i, (key, val_acc) in enumerate(best):
        plt.subplot(row_num, col_num, i + 1)
        plt.title("Best-" + str(i + 1))
        plt.ylim(0.0, 1.0)
        if i % 5:
            plt.yticks([])
        plt.xticks([])
        x = np.arange(len(val_acc))
        plt.plot(x, val_acc)
        plt.plot(x, results_train[key], "--")
    plt.savefig(Path(out) / "hyperparameter_optimization.png")
    plt.close()


def init_histogram(data, rng, out):
    """``weight_init_activation_histogram.py`` once per figure trainlab draws (the
    book edits the weight scale and the activation and reruns it): five layers of
    100 nodes on 1,000 standard-normal inputs, a histogram per layer, saved."""
    plt = _plt()
    acts = {
        "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
        "tanh": np.tanh,
        "relu": lambda a: np.maximum(0, a),
    }
    scales = {"1": 1.0, "0.01": 0.01, "xavier": np.sqrt(1.0 / 100), "he": np.sqrt(2.0 / 100)}
    for name, f in acts.items():
        for label, scale in scales.items():
            x, activations = rng.standard_normal((1000, 100)), {}
            for i in range(5):
                if i != 0:
                    x = activations[i - 1]
                w = rng.standard_normal((100, 100)) * scale
                activations[i] = f(np.dot(x, w))
            plt.figure()
            for i, a in activations.items():
                plt.subplot(1, len(activations), i + 1)
                plt.title(str(i + 1) + "-layer")
                if i != 0:
                    plt.yticks([], [])
                plt.hist(a.flatten(), 30, range=(0, 1))
            plt.savefig(Path(out) / f"{name}-{label}.png")
            plt.close()


def landscape(data, rng, out):
    """``optimizer_compare_naive.py``: SGD, Momentum, AdaGrad and Adam, 30 steps on
    x²/20 + y² from (-7, 2), each path over the contours, saved."""
    plt = _plt()

    def df(x, y):
        return x / 10.0, 2.0 * y

    optimizers = OrderedDict(
        [
            ("SGD", SGD(lr=0.95)),
            ("Momentum", Momentum(lr=0.1)),
            ("AdaGrad", AdaGrad(lr=1.5)),
            ("Adam", Adam(lr=0.3)),
        ]
    )
    idx = 1
    for key, optimizer in optimizers.items():
        params, grads = {"x": -7.0, "y": 2.0}, {"x": 0, "y": 0}
        x_history, y_history = [], []
        for _ in range(30):
            x_history.append(params["x"])
            y_history.append(params["y"])
            grads["x"], grads["y"] = df(params["x"], params["y"])
            optimizer.update(params, grads)
        x, y = np.arange(-10, 10, 0.01), np.arange(-5, 5, 0.01)
        X, Y = np.meshgrid(x, y)
        Z = X**2 / 20.0 + Y**2
        Z[Z > 7] = 0
        plt.subplot(2, 2, idx)
        idx += 1
        plt.plot(x_history, y_history, "o-", color="red")
        plt.contour(X, Y, Z)
        plt.ylim(-10, 10)
        plt.xlim(-10, 10)
        plt.plot(0, 0, "+")
        plt.title(key)
        plt.xlabel("x")
        plt.ylabel("y")
    plt.savefig(Path(out) / "optimizer_compare_naive.png")


#: trainlab experiment → the notes' script(s) for it, each drawing its figures as the book does
SCRIPTS = {
    "init-histogram": ("weight_init_activation_histogram.py, per figure", init_histogram),
    "optimizer-compare": ("optimizer_compare_mnist.py", optimizer_compare),
    "init-compare": ("weight_init_compare.py", init_compare),
    "batchnorm": ("batch_norm_test.py", batchnorm),
    "overfit": ("overfit_weight_decay.py + overfit_dropout.py", overfit),
    "landscape": ("optimizer_compare_naive.py", landscape),
    "tune": ("hyperparameter_optimization.py", hyperparameter),
}
#: the ones that need no data set
NO_DATA = ("init-histogram", "landscape")


def main(name, where, *args):
    """``where``: ``digits`` (the embedded set) or the folder of the Fashion-MNIST files;
    ``args``: the trials of ``tune`` (default 100, as the book)."""
    start = time.perf_counter()
    import warnings

    warnings.simplefilter("ignore")  # batch_norm_test.py's legend() on unlabelled panels
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from trainlab.data import load

    data = None
    if name not in NO_DATA:
        data = load("digits") if where == "digits" else load("fashion-mnist", data_dir=where)
    import tempfile

    with tempfile.TemporaryDirectory() as out:  # the figures, saved as plt.show() would show them
        SCRIPTS[name][1](data, np.random.default_rng(0), out, *map(int, args))
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
