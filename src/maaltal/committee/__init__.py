"""The committee cycle: meetings, agenda items, decisions, requests, the yearly plan and minutes import."""
