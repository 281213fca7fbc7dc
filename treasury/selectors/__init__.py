"""What the treasury pages read, one module per area; querysets already scoped to treasury use."""
