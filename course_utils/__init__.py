"""course_utils: the tested package behind the "making deep networks train well" notebooks.

Each module holds one topic; the notebooks import them instead of pasting helpers::

    from course_utils import datasets, initializers, model, optimizers, training
"""

__version__ = "0.1.0"
