r"""Which library a dotted name belongs to: import aliases, the usual short names (``np``, ``nn``, ``F``,
``tf``, ``layers``, ``jnp``, ``lax``) when the code imports nothing, and one spelling per library path.

>>> canonical("tensorflow.keras.layers.Conv2D"), canonical("tf.keras.models.Sequential"), canonical("jax.numpy.ones")
('keras.layers.Conv2D', 'keras.layers.Sequential', 'jax.numpy.ones')
>>> resolve("nn.Conv2d", {}), resolve("nn.Conv", {"nn": "flax.linen"})
('torch.nn.Conv2d', 'flax.linen.Conv')
"""

from __future__ import annotations

__all__ = ["DEFAULT_ALIASES", "canonical", "resolve"]

#: what a short name means when the code read does not import it
DEFAULT_ALIASES = {"np": "numpy", "numpy": "numpy", "torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional",
                   "tf": "tensorflow", "tensorflow": "tensorflow", "keras": "keras", "layers": "keras.layers",
                   "jnp": "jax.numpy", "lax": "jax.lax", "jax": "jax", "scipy": "scipy", "signal": "scipy.signal",
                   "flax": "flax"}
_PREFIXES = (("tensorflow.", "tf."), ("tf.keras.", "keras."), ("tf.python.keras.", "keras."), ("keras.src.", "keras."),
             ("keras.models.", "keras.layers."), ("keras.Sequential", "keras.layers.Sequential"),
             ("keras.Input", "keras.layers.Input"), ("torch.nn.modules.", "torch.nn."), ("jax.scipy.signal.", "scipy.signal."))


def canonical(path: str) -> str:
    """One spelling of a library path (``tensorflow.keras.layers`` → ``keras.layers``)."""
    for old, new in _PREFIXES:
        if path.startswith(old):
            path = new + path[len(old):]
    return path


def resolve(dotted: str, aliases: dict) -> str | None:
    """The library path of ``dotted`` (``F.conv2d`` → ``torch.nn.functional.conv2d``), or None when its first name
    is neither imported nor a usual short name."""
    head, _, rest = dotted.partition(".")
    base = aliases.get(head, DEFAULT_ALIASES.get(head))
    if base is None:
        return None
    return canonical(base + ("." + rest if rest else ""))
