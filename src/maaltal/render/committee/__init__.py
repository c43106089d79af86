"""Renderers of the committee cycle: agendas and minutes (DOCX, PDF) and the plan's attachments."""
