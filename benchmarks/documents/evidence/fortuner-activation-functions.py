"""Evidence for fortuner-activation-functions.rst (ml-cheatsheet): finite differences with NumPy, no checker code."""

import numpy as np

Z = np.concatenate([np.linspace(-8, -0.01, 400), np.linspace(0.01, 8, 400)])
A = 0.01


def sig(z):
    return 1 / (1 + np.exp(-z))


def elu(z, a=1.0):
    return np.where(z > 0, z, a * (np.exp(z) - 1))


def relu(z):
    return np.where(z > 0, z, 0.0)


def leaky(z, a=A):
    return np.where(z > 0, z, a * z)


def d(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def derivatives():
    for m in (-2.0, 0.5, 3.0):
        assert np.allclose(d(lambda z: z * m, Z), m)
    for a in (0.5, 1.0, 2.0):
        assert np.allclose(d(lambda z: elu(z, a), Z), np.where(Z > 0, 1, a * np.exp(Z)), atol=1e-5)
    assert np.allclose(d(relu, Z), np.where(Z > 0, 1, 0), atol=1e-6)
    assert np.allclose(d(leaky, Z), np.where(Z > 0, 1, A), atol=1e-6)
    assert np.allclose(d(sig, Z), sig(Z) * (1 - sig(Z)), atol=1e-6)
    assert np.allclose(d(np.tanh, Z), 1 - np.tanh(Z) ** 2, atol=1e-6)


def elu_claims():
    for a in (0.5, 1.0, 2.0):
        v = elu(np.linspace(-30, 0, 1000), a)
        assert np.all(np.diff(v) >= 0) and np.all(v >= -a) and abs(v[0] + a) < 1e-9 and v[-2] > v[0]
        assert elu(np.array(-1.0), a) < 0


def relu_claims():
    z = np.linspace(-5, 5, 1001)
    assert np.array_equal(np.maximum(0, z), np.where(z > 0, z, 0))
    assert np.maximum(0, 1.0) + np.maximum(0, -1.0) != np.maximum(0, 0.0)   # not additive -> not linear
    assert np.maximum(0, z).min() == 0 and np.maximum(0, 1e9) == 1e9


def sigmoid_claims():
    z = np.linspace(-30, 30, 2001)
    s = sig(z)
    assert np.all((s > 0) & (s < 1)) and np.all(np.diff(s) > 0)
    assert sig(0.0) == 0.5


def tanh_claims():
    z = np.linspace(-5, 5, 1001)
    assert np.allclose((np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), np.tanh(z))
    assert np.all(np.abs(np.tanh(z)) <= 1) and np.allclose(np.tanh(-z), -np.tanh(z))


def tanh_vs_sigmoid():
    dt = lambda z: 1 - np.tanh(z) ** 2
    ds = lambda z: sig(z) * (1 - sig(z))
    assert dt(3.0) < ds(3.0) and abs(dt(3.0) - 0.00987) < 1e-4 and abs(ds(3.0) - 0.0452) < 1e-4
    z = np.linspace(0, 1.66, 200)
    assert np.all(dt(z) > ds(z))


if __name__ == "__main__":
    for fn in (derivatives, elu_claims, relu_claims, sigmoid_claims, tanh_claims, tanh_vs_sigmoid):
        fn()
    print("fortuner-activation-functions: all evidence checks pass")
