"""Monitoring of the warehouse: alert rules over its data, an alerts table with history, a notifier,
a report."""
