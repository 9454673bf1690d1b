"""Pelatihan: trainings for UMKM published by coordinators and admins, seats taken by shop owners."""
