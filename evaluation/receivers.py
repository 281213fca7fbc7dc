"""The evaluation's reactions to the apps below it."""
