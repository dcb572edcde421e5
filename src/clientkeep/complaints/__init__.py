"""Complaints: cases with their workflow, the policy's clocks in UK working days, and the
final response."""
