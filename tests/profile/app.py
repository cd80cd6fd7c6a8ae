"""A small service whose profile is known: `match_orders` takes most of the samples."""


def match_orders(orders, customers):
    matched = []
    for order in orders:
        for customer in customers:
            if customer["id"] == order["customer_id"]:
                matched.append(order)
    return matched


def render(rows):
    html = ""
    for row in rows:
        html += f"<tr>{row}</tr>"
    return html


class Report:
    def build(self, orders, customers):
        def total(items):
            out = ""
            for item in items:
                out += str(item)
            return out

        return total(match_orders(orders, customers))


def main():
    orders = [{"id": i, "customer_id": i % 50} for i in range(2000)]
    customers = [{"id": i} for i in range(500)]
    match_orders(orders, customers)
    render(orders)
    Report().build(orders, customers)


if __name__ == "__main__":
    main()
