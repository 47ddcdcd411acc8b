package deals

// Weighted is value × probability percent, rounded half up in minor units.
func Weighted(value int64, probability int) int64 {
	p := int64(probability)
	if value < 0 {
		return -((-value*p + 50) / 100)
	}
	return (value*p + 50) / 100
}
