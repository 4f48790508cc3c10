"""Publishing: render a snapshot, record a Version, deploy it to targets, roll back."""
