"""The province admin (Diskop UKM): campaigns and coordinator appointments."""
