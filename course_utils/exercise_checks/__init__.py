"""The checks of the notebooks' exercises, one module per notebook, and the harness they share.

* ``harness``: ``ExerciseError``, and how a check reports to a learner (one line when right, the message
  alone when wrong, and the course's version when the exercise is still open);
* ``initialization``, ``optimization``, ``regularization``, ``gradient_checking``, ``tensorflow_intro``:
  the checks of each notebook's exercises.

Notebooks import them through the facade ``course_utils.checks``. (Checking the *arguments* of the
package's own functions is another thing: ``course_utils._validation``.)
"""
