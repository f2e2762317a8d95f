package bot

import (
	"reflect"
	"testing"
)

// Both languages must fill every field, so they stay in step.
func TestTextsComplete(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		checkFilled(t, lang, "Texts", reflect.ValueOf(*TextsFor(lang)))
	}
}

func checkFilled(t *testing.T, lang, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			checkFilled(t, lang, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			checkFilled(t, lang, path, v.Index(i))
		}
	default:
		if v.IsZero() {
			t.Errorf("%s: %s is not set", lang, path)
		}
	}
}
