"""What can be told before any search: impossibilities found by counting, and counting bounds."""
