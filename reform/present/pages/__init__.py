"""One view-model per page: the frames, figures and sentences a page shows."""
