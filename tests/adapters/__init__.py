"""Adapter tests: the real Bolt / PTB stacks over the network against local stand-ins of the APIs."""
