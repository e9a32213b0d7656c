s/"show %d\\n"/"show: %d (fixed)\\n"/
