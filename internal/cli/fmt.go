package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"dostup/sdbl/lexer"
	"dostup/sdbl/parser"
	"dostup/sdbl/printer"
	"dostup/sdbl/token"
)

func newFmtCmd(e *env) *cobra.Command {
	var lang, kind string
	cmd := &cobra.Command{
		Use:   "fmt [--lang ru|en] [--kind auto|query|restriction] [FILE|-]",
		Short: "Print a query or restriction text in canonical form",
		Long: `fmt reads a text in the 1C query language (ВЫБРАТЬ ...) or a record-level
restriction ([Alias] [ИЗ ...] [ГДЕ ...]) from FILE, or from standard input when
FILE is - or left out, and prints it in canonical form with Russian or English
keywords. The text must not contain #Если or template calls: expand them first
(dostup rls check does). A syntax error prints file:line:col and exits 1.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			english := false
			switch strings.ToLower(lang) {
			case "ru", "":
			case "en":
				english = true
			default:
				return usageError(fmt.Errorf("--lang must be ru or en, not %q", lang))
			}
			name, text, err := readInput(e, args)
			if err != nil {
				return usageError(err)
			}
			switch strings.ToLower(kind) {
			case "auto", "":
				kind = "restriction"
				if looksLikeQuery(text) {
					kind = "query"
				}
			case "query", "restriction":
			default:
				return usageError(fmt.Errorf("--kind must be auto, query or restriction, not %q", kind))
			}
			var out string
			if kind == "query" {
				b, err := parser.ParseQueryString(name, text)
				if err != nil {
					return failure(err)
				}
				out = printer.Query(b, english)
			} else {
				r, err := parser.ParseRestrictionString(name, text)
				if err != nil {
					return failure(err)
				}
				out = printer.Restriction(r, english)
			}
			if !strings.HasSuffix(out, "\n") {
				out += "\n"
			}
			_, err = io.WriteString(e.stdout, out)
			return err
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "ru", "language of keywords: ru or en")
	cmd.Flags().StringVar(&kind, "kind", "auto", "what the text is: auto, query or restriction")
	return cmd
}

// readInput reads FILE or standard input and returns a name for messages.
func readInput(e *env, args []string) (name, text string, err error) {
	if len(args) == 0 || args[0] == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return "", "", fmt.Errorf("reading standard input: %w", err)
		}
		return "<stdin>", string(b), nil
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return "", "", err
	}
	return args[0], string(b), nil
}

// argOrStdin is a command's text argument, or standard input when it is
// "-".
func argOrStdin(e *env, arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	_, in, err := readInput(e, nil)
	if err != nil {
		return "", usageError(err)
	}
	return in, nil
}

// looksLikeQuery reports whether the first word of text starts a query.
func looksLikeQuery(text string) bool {
	t := lexer.New(text, nil).Next()
	return t.Is(token.Select) || t.Is(token.Drop)
}
