package broken

// Order is a contract whose baseline was edited by hand.
//
//compatcheck:contract
type Order struct {
	ID string `json:"id"`
}
