"""The report's sections: each turns published tables into text, figures and tables."""
