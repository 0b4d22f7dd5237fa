"""Tests of `retain import`: formats, mapping, identity, validation, real exports."""
