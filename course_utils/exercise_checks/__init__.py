"""The checks of the notebooks' exercises, one or two modules per notebook, and the machinery they share.

* ``harness``: ``ExerciseError``, and how a check reports to a learner (one line when right, the message
  alone when wrong, and the course's version when the exercise is still open);
* ``probes``: the properties every check measures (a result of the right kind, inputs left alone, NumPy's
  global generator untouched, agreement in the learner's precision);
* ``initialization``; ``optimization`` (mini-batches, step decay) with ``optimizer_updates`` (Momentum,
  RMSprop, Adam, run by ``update_rules``); ``regularization``; ``gradient_checking`` (1-D check, dict <->
  vector) with ``gradient_check_nd``; ``tensorflow_intro`` (the only one that imports TensorFlow, lazily)
  with ``tensorflow_twins`` (its expected values in NumPy).

Each check tests the properties its exercise's spec states, on cases of its own (several seeds, odd
shapes, depths 1 to 4, float32 and float64), and names a wrong answer from what it measured.
Notebooks import the checks through the facade ``course_utils.checks``. (Checking the *arguments* of
the package's own functions is another thing: ``course_utils._validation``.)
"""
