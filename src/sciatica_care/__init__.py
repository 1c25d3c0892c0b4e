"""sciatica-care: safe, explainable massage-therapy care plans for sciatica."""
