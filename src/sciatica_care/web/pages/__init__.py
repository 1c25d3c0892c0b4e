"""HTML routes: cookies, CSRF, Post/Redirect/Get."""
