package scaler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a YAML duration in the notation of the kairos CLI: 90 (seconds), 30s, 5m, 1h,
// 2d, 1w, or a sum such as 1h30m.
type Duration time.Duration

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML reads a number of seconds or a string such as "1h30m".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

var units = map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour,
	'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}

// ParseDuration reads the CLI's duration notation.
func ParseDuration(text string) (time.Duration, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf("duration %q: expected a number and a unit (s, m, h, d, w)", text)
		}
		n, err := strconv.ParseUint(s[:i], 10, 32)
		unit, ok := units[s[i]]
		if err != nil || !ok {
			return 0, fmt.Errorf("duration %q: expected a number and a unit (s, m, h, d, w)", text)
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	return total, nil
}
