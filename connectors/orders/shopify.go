package orders

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
)

// shopifyOrderQuery reads one order by its name ("#1001") from the Admin
// GraphQL API (needs the read_orders scope).
const shopifyOrderQuery = `query Order($q: String!) {
  orders(first: 1, query: $q) {
    nodes {
      name
      email
      phone
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      shippingAddress { zip phone }
      fulfillments(first: 5) {
        displayStatus
        deliveredAt
        estimatedDeliveryAt
        trackingInfo(first: 3) { company number url }
      }
    }
  }
}`

const shopifyCheckQuery = `{ orders(first: 1) { nodes { id } } }`

type shopifyResponse struct {
	Data struct {
		Orders struct {
			Nodes []shopifyOrder `json:"nodes"`
		} `json:"orders"`
	} `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

type shopifyOrder struct {
	Name                     string  `json:"name"`
	Email                    string  `json:"email"`
	Phone                    string  `json:"phone"`
	CancelledAt              *string `json:"cancelledAt"`
	DisplayFinancialStatus   string  `json:"displayFinancialStatus"`
	DisplayFulfillmentStatus string  `json:"displayFulfillmentStatus"`
	ShippingAddress          *struct {
		Zip   string `json:"zip"`
		Phone string `json:"phone"`
	} `json:"shippingAddress"`
	Fulfillments []struct {
		DisplayStatus       string  `json:"displayStatus"`
		DeliveredAt         *string `json:"deliveredAt"`
		EstimatedDeliveryAt *string `json:"estimatedDeliveryAt"`
		TrackingInfo        []struct {
			Company string `json:"company"`
			Number  string `json:"number"`
			URL     string `json:"url"`
		} `json:"trackingInfo"`
	} `json:"fulfillments"`
}

func (c *Client) shopifyGraphQL(ctx context.Context, o *ragkb.OrdersSpec, query string, vars map[string]any) (*shopifyResponse, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := c.f.Fetch(ctx, connectors.Request{
		URL: base(o.URL) + "/admin/api/" + c.apiVersion + "/graphql.json", Method: http.MethodPost,
		Accept: "application/json", Body: body, API: true,
		Headers: http.Header{"X-Shopify-Access-Token": {strings.TrimSpace(o.Token)}, "Content-Type": {"application/json"}},
	})
	if err != nil {
		return nil, authError(err, "Shopify", "the read_orders scope")
	}
	var out shopifyResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, &ragkb.Error{Code: ragkb.EUNAVAILABLE, Err: err, Message: "Shopify sent an answer ragkb could not read: is the URL the shop's myshopify.com address?"}
	}
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		if e.Extensions.Code == "ACCESS_DENIED" {
			return nil, ragkb.Errorf(ragkb.EFORBIDDEN, "Shopify denied access: the token needs the read_orders scope")
		}
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Shopify refused the order query: %s", e.Message)
	}
	return &out, nil
}

func (c *Client) shopifyCheck(ctx context.Context, o *ragkb.OrdersSpec) error {
	_, err := c.shopifyGraphQL(ctx, o, shopifyCheckQuery, map[string]any{})
	return err
}

func (c *Client) shopifyOrder(ctx context.Context, o *ragkb.OrdersSpec, number string) (*Order, error) {
	out, err := c.shopifyGraphQL(ctx, o, shopifyOrderQuery, map[string]any{"q": "name:#" + number})
	if err != nil {
		return nil, err
	}
	for _, n := range out.Data.Orders.Nodes {
		if !strings.EqualFold(strings.TrimPrefix(n.Name, "#"), number) {
			continue // the search is by prefix: only the exact name counts
		}
		ord := &Order{Number: number, ProviderStatus: n.DisplayFulfillmentStatus + "/" + n.DisplayFinancialStatus,
			Emails: nonEmpty(n.Email), Phones: nonEmpty(n.Phone)}
		if a := n.ShippingAddress; a != nil {
			ord.Postcodes = nonEmpty(a.Zip)
			ord.Phones = append(ord.Phones, nonEmpty(a.Phone)...)
		}
		delivered := false
		for _, f := range n.Fulfillments {
			delivered = delivered || f.DisplayStatus == "DELIVERED" || f.DeliveredAt != nil
			if f.EstimatedDeliveryAt != nil && len(*f.EstimatedDeliveryAt) >= 10 {
				ord.EstimatedDelivery = (*f.EstimatedDeliveryAt)[:10]
			}
			for _, t := range f.TrackingInfo {
				if ord.TrackingNumber == "" && t.Number != "" {
					ord.Carrier, ord.TrackingNumber, ord.TrackingURL = t.Company, t.Number, t.URL
				}
			}
		}
		switch {
		case n.CancelledAt != nil:
			ord.Status = StatusCancelled
		case n.DisplayFinancialStatus == "REFUNDED":
			ord.Status = StatusRefunded
		case delivered:
			ord.Status = StatusDelivered
		case n.DisplayFulfillmentStatus == "FULFILLED" || n.DisplayFulfillmentStatus == "PARTIALLY_FULFILLED":
			ord.Status = StatusShipped
		case n.DisplayFulfillmentStatus == "IN_PROGRESS" || n.DisplayFulfillmentStatus == "PENDING_FULFILLMENT":
			ord.Status = StatusProcessing
		case n.DisplayFulfillmentStatus == "ON_HOLD" || n.DisplayFulfillmentStatus == "REQUEST_DECLINED":
			ord.Status = "" // a person explains
		case n.DisplayFinancialStatus == "PAID" || n.DisplayFinancialStatus == "PARTIALLY_REFUNDED":
			ord.Status = StatusPaid
		case n.DisplayFinancialStatus == "PENDING" || n.DisplayFinancialStatus == "AUTHORIZED":
			ord.Status = StatusPending
		}
		return ord, nil
	}
	return nil, ErrNotFound
}
