"""What wires a whole process together: the ``recoloca`` command, the process runner and
the one-machine development stack. It sits above every other package; nothing imports it
but the tests."""
