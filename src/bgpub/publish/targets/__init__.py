"""Deploy targets: a local folder, a git branch, an rsync destination."""
